"""The core's pages, a module per subject: the project and its units (`project`), staff accounts
and two-factor login (`accounts`), the information clause and the accessibility statement
(`notices`), GDPR duties (`privacy`: record of processing, legal holds, data-subject export),
the personal-data access log (`access_log`), files made in the background (`documents`) and
the audit trail (`audit`). `lebork_einclusion/urls.py` points at them."""

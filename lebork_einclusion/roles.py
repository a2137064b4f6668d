"""Who may do what: the one place where every URL of the project gets its roles.

Every URL name resolved by a request must have an entry in ACCESS, or the request is refused
(AccessMiddleware) and the role x URL test fails. An entry says which roles may open the page
(GET/HEAD) and which may change something through it (POST and other writing methods).
The auditor reads and never writes, whatever an entry says.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

COORDINATOR = "coordinator"
ASSISTANT = "assistant"
FINANCE = "finance"
MONITORING = "monitoring"
COMMITTEE = "committee"
AUDITOR = "auditor"

ROLE_LABELS = {
    COORDINATOR: _("Project coordinator"),
    ASSISTANT: _("Coordinator's assistant"),
    FINANCE: _("Finance officer"),
    MONITORING: _("Monitoring officer"),
    COMMITTEE: _("Recruitment committee member"),
    AUDITOR: _("Auditor (read-only)"),
}
ROLES = tuple(ROLE_LABELS)
STAFF = frozenset(ROLES)
OFFICE = frozenset({COORDINATOR, ASSISTANT})

# Recruitment: who reads applications, and who reviews them.
RECRUITMENT_READERS = frozenset({COORDINATOR, ASSISTANT, COMMITTEE, AUDITOR})
REVIEWERS = frozenset({COORDINATOR, COMMITTEE})

# Lending: the office runs it; the monitoring officer visits the households; the auditor reads.
LENDING_READERS = frozenset({COORDINATOR, ASSISTANT, MONITORING, AUDITOR})
LENDING_FIELD = OFFICE | {MONITORING}  # who records damage, service, outages in the field
EQUIPMENT_READERS = LENDING_READERS | {FINANCE}  # the asset register is also the inventory

# Training: the office runs it (the coordinator sets modules up); the monitoring officer checks
# the §6.7 duty on visits; the auditor reads.
TRAINING_READERS = frozenset({COORDINATOR, ASSISTANT, MONITORING, AUDITOR})

# Roles that may see PESEL numbers, incomes and disability data (GDPR Art. 9 health data).
PERSONAL_DATA_ROLES = frozenset({COORDINATOR, ASSISTANT, COMMITTEE, MONITORING, AUDITOR})


@dataclass(frozen=True)
class Rule:
    view: frozenset[str]
    change: frozenset[str] = frozenset()
    public: bool = False


PUBLIC = Rule(view=frozenset(), public=True)
# Pages about the user's own account: every role, the auditor included, may post to them.
OWN_ACCOUNT = Rule(view=STAFF, change=STAFF)


def rule(view, change=None) -> Rule:
    view = frozenset(view)
    change = frozenset(change if change is not None else ()) - {AUDITOR}
    return Rule(view=view | change, change=change)


# Procurement: the finance officer and the office run it, the auditor reads it; the monitoring
# officer reads contracts (who services the equipment, until when) and nothing else of it.
PROCUREMENT_STAFF = OFFICE | {FINANCE}
PROCUREMENT_READERS = PROCUREMENT_STAFF | {AUDITOR}
CONTRACT_READERS = PROCUREMENT_READERS | {MONITORING}

# Finance: the finance officer keeps the budget, the expenditures and the payment claims; the
# coordinator may act for her; the assistant and the auditor read.
FINANCE_STAFF = frozenset({FINANCE, COORDINATOR})
FINANCE_READERS = FINANCE_STAFF | {ASSISTANT, AUDITOR}

# Monitoring: the office and the monitoring officer keep it; finance and the auditor read it.
MONITORING_STAFF = OFFICE | {MONITORING}
MONITORING_READERS = MONITORING_STAFF | {FINANCE, AUDITOR}
# Home visits hold what was found in a household's home: not for the finance officer.
VISIT_READERS = MONITORING_STAFF | {AUDITOR}

# URL name -> Rule. Sections per app keep merges apart; keep each section sorted.
ACCESS: dict[str, Rule] = {
    # --- accounts and site (core) ---
    "login": PUBLIC,
    "logout": OWN_ACCOUNT,
    "password_change": OWN_ACCOUNT,
    "password_change_done": OWN_ACCOUNT,
    "set_language": PUBLIC,
    "javascript-catalog": PUBLIC,
    "two_factor": OWN_ACCOUNT,
    "two_factor_recovery_codes": OWN_ACCOUNT,
    "two_factor_setup": OWN_ACCOUNT,
    "two_factor_verify": OWN_ACCOUNT,
    "privacy_notice": PUBLIC,
    "accessibility_statement": PUBLIC,
    "core:accessibility_statement_edit": rule({COORDINATOR}, {COORDINATOR}),
    # Archived papers name people with their PESEL: the readers of the papers' records.
    "core:archived_paper": rule(OFFICE | {MONITORING, COMMITTEE, AUDITOR}, OFFICE),
    "core:archived_paper_pdf": rule(OFFICE | {MONITORING, COMMITTEE, AUDITOR}),
    "core:archived_paper_scan": rule(OFFICE | {MONITORING, COMMITTEE, AUDITOR}),
    "core:audit_log": rule({COORDINATOR, AUDITOR}),
    "core:generated_file": rule(STAFF),
    "core:generated_file_download": rule(STAFF),
    "core:generated_file_status": rule(STAFF),
    "core:generated_file_retry": rule(STAFF, STAFF),
    "core:officeholder_edit": rule({COORDINATOR}, {COORDINATOR}),
    "core:officeholder_list": rule(STAFF),
    "core:officeholder_new": rule({COORDINATOR}, {COORDINATOR}),
    "core:project": rule(STAFF),
    "core:project_edit": rule({COORDINATOR}, {COORDINATOR}),
    "core:project_pdf": rule(STAFF),
    "core:public_unit_list": rule(STAFF),
    "core:public_unit_edit": rule({COORDINATOR}, {COORDINATOR}),
    "core:public_unit_new": rule({COORDINATOR}, {COORDINATOR}),
    "core:legal_hold_release": rule({COORDINATOR}, {COORDINATOR}),
    "core:legal_holds": rule({COORDINATOR, AUDITOR}, {COORDINATOR}),
    "core:personal_data_log": rule({COORDINATOR, AUDITOR}),
    "core:personal_data_log_export": rule({COORDINATOR, AUDITOR}),
    "core:privacy_notice_edit": rule({COORDINATOR}, {COORDINATOR}),
    "core:processing_register": rule({COORDINATOR, ASSISTANT, AUDITOR}),
    "core:subject_export": rule({COORDINATOR}, {COORDINATOR}),
    "core:user_deactivate": rule({COORDINATOR}, {COORDINATOR}),
    "core:user_list": rule({COORDINATOR, AUDITOR}),
    "core:user_reset_two_factor": rule({COORDINATOR}, {COORDINATOR}),
    # --- recruitment ---
    # The committee reviews; the coordinator runs the call and approves the lists; the
    # assistant registers applications. Finance and monitoring have no use for applications.
    "recruitment:annex_blank_pdf": rule(RECRUITMENT_READERS),
    "recruitment:annex_filled_pdf": rule(OFFICE),
    "recruitment:annex_list": rule(RECRUITMENT_READERS),
    "recruitment:application_annexes": rule(OFFICE),
    "recruitment:application_detail": rule(RECRUITMENT_READERS),
    "recruitment:application_edit": rule(OFFICE, OFFICE),
    "recruitment:application_export": rule(RECRUITMENT_READERS),
    "recruitment:application_list": rule(RECRUITMENT_READERS),
    "recruitment:application_pdf": rule(RECRUITMENT_READERS),
    "recruitment:application_new": rule(OFFICE, OFFICE),
    "recruitment:application_review": rule(REVIEWERS, REVIEWERS),
    # A mistaken application is withdrawn (never deleted) by the coordinator alone.
    "recruitment:application_withdraw": rule({COORDINATOR}, {COORDINATOR}),
    "recruitment:call_detail": rule(RECRUITMENT_READERS),
    "recruitment:call_edit": rule({COORDINATOR}, {COORDINATOR}),
    "recruitment:call_import": rule(OFFICE, OFFICE),
    "recruitment:call_list": rule(RECRUITMENT_READERS),
    "recruitment:call_new": rule({COORDINATOR}, {COORDINATOR}),
    "recruitment:document_scan": rule(RECRUITMENT_READERS),
    "recruitment:letter_pdf": rule(OFFICE | {AUDITOR}),
    "recruitment:letters_pdf": rule(OFFICE | {AUDITOR}),
    "recruitment:meeting_edit": rule(RECRUITMENT_READERS, {COORDINATOR}),
    "recruitment:meeting_list": rule(RECRUITMENT_READERS),
    "recruitment:meeting_new": rule({COORDINATOR}, {COORDINATOR}),
    "recruitment:notification_new": rule(OFFICE, OFFICE),
    "recruitment:protocol_pdf": rule(RECRUITMENT_READERS),
    "recruitment:ranking": rule(RECRUITMENT_READERS, {COORDINATOR}),
    "recruitment:ranking_export": rule(RECRUITMENT_READERS),
    # Published on the town's notice board and website: registration numbers only.
    "recruitment:results": PUBLIC,
    "recruitment:results_pdf": PUBLIC,
    "recruitment:version_detail": rule(RECRUITMENT_READERS),
    # --- finance ---
    "finance:agreement_edit": rule(FINANCE_STAFF, FINANCE_STAFF),
    "finance:amendment_new": rule(FINANCE_STAFF, FINANCE_STAFF),
    "finance:budget": rule(FINANCE_READERS),
    "finance:budget_xlsx": rule(FINANCE_READERS),
    "finance:claim_detail": rule(FINANCE_READERS),
    "finance:claim_edit": rule(FINANCE_STAFF, FINANCE_STAFF),
    "finance:claim_list": rule(FINANCE_READERS),
    "finance:claim_new": rule(FINANCE_STAFF, FINANCE_STAFF),
    "finance:claim_pdf": rule(FINANCE_READERS),
    "finance:claim_step": rule(FINANCE_STAFF, FINANCE_STAFF),
    "finance:claim_xlsx": rule(FINANCE_READERS),
    "finance:expenditure_edit": rule(FINANCE_STAFF, FINANCE_STAFF),
    "finance:expenditure_list": rule(FINANCE_READERS),
    "finance:expenditure_new": rule(FINANCE_STAFF, FINANCE_STAFF),
    "finance:expenditure_scan": rule(FINANCE_READERS),
    # --- procurement ---
    "procurement:contract_amend": rule(PROCUREMENT_STAFF, PROCUREMENT_STAFF),
    "procurement:contract_attachment": rule(CONTRACT_READERS),
    "procurement:contract_attachment_new": rule(PROCUREMENT_STAFF, PROCUREMENT_STAFF),
    "procurement:contract_detail": rule(CONTRACT_READERS),
    "procurement:contract_edit": rule(PROCUREMENT_STAFF, PROCUREMENT_STAFF),
    "procurement:contract_list": rule(CONTRACT_READERS),
    "procurement:ocds_export": rule(PROCUREMENT_READERS),
    "procurement:offer_edit": rule(PROCUREMENT_STAFF, PROCUREMENT_STAFF),
    "procurement:offer_new": rule(PROCUREMENT_STAFF, PROCUREMENT_STAFF),
    "procurement:procedure_announce": rule(PROCUREMENT_STAFF, PROCUREMENT_STAFF),
    "procurement:procedure_annul": rule(PROCUREMENT_STAFF, PROCUREMENT_STAFF),
    "procurement:procedure_award": rule(PROCUREMENT_STAFF, PROCUREMENT_STAFF),
    "procurement:procedure_detail": rule(PROCUREMENT_READERS),
    "procurement:procedure_document": rule(PROCUREMENT_READERS),
    "procurement:procedure_edit": rule(PROCUREMENT_STAFF, PROCUREMENT_STAFF),
    "procurement:procedure_export": rule(PROCUREMENT_READERS),
    "procurement:procedure_list": rule(PROCUREMENT_READERS),
    "procurement:procedure_new": rule(PROCUREMENT_STAFF, PROCUREMENT_STAFF),
    "procurement:procedure_open_offers": rule(PROCUREMENT_STAFF, PROCUREMENT_STAFF),
    "procurement:procedure_reannounce": rule(PROCUREMENT_STAFF, PROCUREMENT_STAFF),
    "procurement:procedure_sign_contract": rule(PROCUREMENT_STAFF, PROCUREMENT_STAFF),
    "procurement:supplier_detail": rule(PROCUREMENT_READERS),
    "procurement:supplier_edit": rule(PROCUREMENT_STAFF, PROCUREMENT_STAFF),
    "procurement:supplier_list": rule(PROCUREMENT_READERS),
    "procurement:supplier_new": rule(PROCUREMENT_STAFF, PROCUREMENT_STAFF),
    # --- lending ---
    # The office runs it; the coordinator alone ends a participation and decides on an
    # exclusion; the monitoring officer also reports damage, service and outages and proposes
    # exclusions; the finance officer reads the equipment register.
    "lending:agreement_cancel": rule(LENDING_READERS, OFFICE),
    "lending:agreement_detail": rule(LENDING_READERS),
    "lending:agreement_end": rule(OFFICE, OFFICE),
    "lending:agreement_handover": rule(OFFICE, OFFICE),
    "lending:agreement_list": rule(LENDING_READERS),
    "lending:agreement_new": rule(OFFICE, OFFICE),
    "lending:agreement_pdf": rule(LENDING_READERS),
    "lending:agreement_return": rule(OFFICE, OFFICE),
    "lending:agreement_sign": rule(OFFICE, OFFICE),
    "lending:agreement_transfer": rule({COORDINATOR}, {COORDINATOR}),
    "lending:agreements_batch_pdf": rule(OFFICE, OFFICE),
    "lending:annex_new": rule(OFFICE, OFFICE),
    "lending:annex_pdf": rule(LENDING_READERS),
    "lending:annex_sign": rule(OFFICE, OFFICE),
    "lending:asset_damage": rule(LENDING_FIELD, LENDING_FIELD),
    "lending:asset_detail": rule(EQUIPMENT_READERS),
    "lending:asset_edit": rule(OFFICE, OFFICE),
    "lending:asset_export": rule(EQUIPMENT_READERS),
    "lending:asset_import": rule(OFFICE, OFFICE),
    "lending:asset_list": rule(EQUIPMENT_READERS),
    "lending:asset_place": rule(OFFICE, OFFICE),
    "lending:asset_service": rule(LENDING_FIELD, LENDING_FIELD),
    "lending:asset_unit_return": rule(OFFICE, OFFICE),
    "lending:asset_write_off": rule(OFFICE, OFFICE),
    "lending:claim_settle": rule(OFFICE, OFFICE),
    "lending:connection_detail": rule(LENDING_READERS),
    "lending:connection_list": rule(LENDING_READERS),
    "lending:connection_new": rule(OFFICE, OFFICE),
    "lending:connection_status": rule(OFFICE, OFFICE),
    "lending:connections_move": rule(OFFICE, OFFICE),
    "lending:declaration_pdf": rule(LENDING_READERS),
    "lending:due": rule(LENDING_READERS),
    "lending:exclusion_decide": rule({COORDINATOR}, {COORDINATOR}),
    "lending:exclusion_list": rule(LENDING_READERS),
    "lending:exclusion_propose": rule(LENDING_FIELD, LENDING_FIELD),
    "lending:handover_pdf": rule(LENDING_READERS),
    "lending:note_fill_in": rule({COORDINATOR}, {COORDINATOR}),
    "lending:note_list": rule(LENDING_READERS),
    "lending:note_notice": rule(OFFICE, OFFICE),
    "lending:note_protocol_pdf": rule(LENDING_READERS),
    "lending:note_release": rule(OFFICE, OFFICE),
    "lending:outage_close": rule(LENDING_FIELD, LENDING_FIELD),
    "lending:outage_new": rule(LENDING_FIELD, LENDING_FIELD),
    "lending:participant_detail": rule(LENDING_READERS),
    "lending:participant_end": rule({COORDINATOR}, {COORDINATOR}),
    "lending:participant_list": rule(LENDING_READERS),
    "lending:participation_end_detail": rule(LENDING_READERS),
    "lending:return_pdf": rule(LENDING_READERS),
    "lending:service_complete": rule(LENDING_FIELD, LENDING_FIELD),
    "lending:transfer_all": rule({COORDINATOR}, {COORDINATOR}),
    "lending:transfer_pdf": rule(LENDING_READERS),
    "lending:unit_connection_new": rule(OFFICE, OFFICE),
    # --- training ---
    "training:group_add_members": rule(OFFICE, OFFICE),
    "training:group_add_newcomer": rule(OFFICE, OFFICE),
    "training:group_certificates_pdf": rule(TRAINING_READERS),
    "training:group_detail": rule(TRAINING_READERS),
    "training:group_edit": rule(OFFICE, OFFICE),
    "training:group_new": rule(OFFICE, OFFICE),
    "training:group_register_pdf": rule(TRAINING_READERS),
    "training:group_register_xlsx": rule(TRAINING_READERS),
    "training:group_sheets_pdf": rule(TRAINING_READERS),
    "training:module_certificates": rule(TRAINING_READERS, TRAINING_READERS),
    "training:module_detail": rule(TRAINING_READERS),
    "training:module_edit": rule({COORDINATOR}, {COORDINATOR}),
    "training:module_list": rule(TRAINING_READERS),
    "training:module_new": rule({COORDINATOR}, {COORDINATOR}),
    "training:module_sheets": rule(TRAINING_READERS, TRAINING_READERS),
    "training:obligations": rule(TRAINING_READERS),
    "training:progress_import": rule(OFFICE, OFFICE),
    "training:schedule": rule(TRAINING_READERS),
    "training:session_attendance": rule(OFFICE, OFFICE),
    "training:session_delete": rule(OFFICE, OFFICE),
    "training:session_desk": rule(OFFICE, OFFICE),
    "training:session_detail": rule(TRAINING_READERS),
    "training:session_edit": rule(OFFICE, OFFICE),
    "training:session_list": rule(TRAINING_READERS),
    "training:session_new": rule(OFFICE, OFFICE),
    "training:session_scan": rule(TRAINING_READERS),
    "training:session_sheet_pdf": rule(TRAINING_READERS),
    "training:trainee_certificate_issue": rule(OFFICE, OFFICE),
    "training:trainee_certificate_pdf": rule(TRAINING_READERS),
    "training:trainee_detail": rule(TRAINING_READERS),
    "training:trainee_list": rule(TRAINING_READERS),
    "training:trainee_login": rule(OFFICE, OFFICE),
    "training:trainee_remove": rule(OFFICE, OFFICE),
    # --- monitoring ---
    # The user's own account page (the daily e-mail of their to-dos).
    "monitoring:account": OWN_ACCOUNT,
    # The office and the monitoring officer keep the labs' hours, the supervisors' reports and
    # the chronicle; finance (payment claims) and the auditor read; the coordinator freezes
    # the indicators. Public pages: units, addresses, hours and the chronicle, nothing personal.
    "monitoring:chronicle": rule(MONITORING_READERS),
    "monitoring:chronicle_atom": PUBLIC,
    "monitoring:chronicle_edit": rule(MONITORING_STAFF, MONITORING_STAFF),
    "monitoring:chronicle_new": rule(MONITORING_STAFF, MONITORING_STAFF),
    "monitoring:chronicle_rss": PUBLIC,
    "monitoring:durability": rule(MONITORING_READERS),
    "monitoring:durability_pdf": rule(MONITORING_READERS),
    "monitoring:follow_up_edit": rule(VISIT_READERS, MONITORING_STAFF),
    "monitoring:follow_up_list": rule(VISIT_READERS),
    "monitoring:follow_up_new": rule(MONITORING_STAFF, MONITORING_STAFF),
    "monitoring:home": rule(STAFF),
    "monitoring:household_visits": rule(VISIT_READERS),
    "monitoring:indicators": rule(MONITORING_READERS),
    "monitoring:lab_list": rule(MONITORING_READERS),
    "monitoring:lab_report": rule(MONITORING_READERS, MONITORING_STAFF),
    "monitoring:lab_report_list": rule(MONITORING_READERS),
    "monitoring:lab_schedule": rule(MONITORING_READERS, MONITORING_STAFF),
    "monitoring:public_chronicle": PUBLIC,
    "monitoring:public_lab_poster": PUBLIC,
    "monitoring:public_labs": PUBLIC,
    "monitoring:planned_edit": rule(VISIT_READERS, MONITORING_STAFF),
    "monitoring:planned_new": rule(MONITORING_STAFF, MONITORING_STAFF),
    "monitoring:public_labs_month": PUBLIC,
    "monitoring:snapshot_detail": rule(MONITORING_READERS),
    "monitoring:snapshot_new": rule({COORDINATOR}, {COORDINATOR}),
    "monitoring:snapshot_pdf": rule(MONITORING_READERS),
    "monitoring:snapshot_xlsx": rule(MONITORING_READERS),
    "monitoring:visit_calendar": rule(VISIT_READERS),
    "monitoring:visit_calendar_pdf": rule(VISIT_READERS),
    "monitoring:visit_detail": rule(VISIT_READERS),
    "monitoring:visit_list": rule(VISIT_READERS),
    "monitoring:visit_new": rule(MONITORING_STAFF, MONITORING_STAFF),
    # Whoever records visits: the service worker of the visit pages and what it keeps.
    "monitoring:service_worker": rule(MONITORING_STAFF),
    "monitoring:offline_pages": rule(MONITORING_STAFF),
    "monitoring:visit_pdf": rule(VISIT_READERS),
    "monitoring:visit_photo": rule(VISIT_READERS),
    "monitoring:visit_rule": rule(VISIT_READERS, MONITORING_STAFF),
    "monitoring:visit_rules": rule(VISIT_READERS),
    "monitoring:visit_signature": rule(VISIT_READERS),
    "monitoring:visits_month_pdf": rule(VISIT_READERS, VISIT_READERS),
}

# URL names outside the role table: Django's admin (staff superusers only, its own checks).
UNCHECKED_NAMESPACES = ("admin",)


def user_roles(user) -> frozenset[str]:
    """The user's roles (cached on the user object for the request)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_einclusion_roles", None)
    if cached is None:
        if user.is_superuser:
            cached = STAFF
        else:
            cached = frozenset(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        user._einclusion_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


def can_see_personal_data(user) -> bool:
    return bool(user_roles(user) & PERSONAL_DATA_ROLES)


def may_view(user, url_name: str) -> bool:
    entry = ACCESS.get(url_name)
    return entry is not None and (entry.public or bool(user_roles(user) & entry.view))


def may_change(user, url_name: str) -> bool:
    entry = ACCESS.get(url_name)
    return entry is not None and (entry.public or bool(user_roles(user) & entry.change))

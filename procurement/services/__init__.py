"""Every write of the procurement app: one `do_<verb>(..., actor)` per step, each a `@service`,
by subject: `suppliers`, `procedures` (the workflow's steps), `contracts` (record, amendments,
attachments); `common` holds what they share.

A refused step raises ValidationError with a Polish (translated) message, keyed by the form field
at fault where there is one; nothing is written then. The workflow's order is in `workflow.py`.
"""

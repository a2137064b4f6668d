# The applications received are counted from the indicators' summary too
# (monitoring/indicator_summary.py, figure "applications_received"): the applications table's
# statement-level triggers note the applications a statement added or deleted, and those whose
# day of receipt or withdrawal changed (no other change of an application moves the figure), in
# the writer's own transaction, as migration 0007's triggers do for the other figures.

from django.db import migrations

CHANGE = "INSERT INTO monitoring_indicatorchange (figure, subject, fold)"
TABLE = "recruitment_application"
FUNCTION = "monitoring_indicatorchange_recruitment_application"

TRIGGERS = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {CHANGE} SELECT 'applications_received', r.id, false FROM new_rows r;
    ELSIF TG_OP = 'UPDATE' THEN
        {CHANGE} SELECT 'applications_received', r.id, false FROM new_rows r
        WHERE NOT EXISTS (
            SELECT 1 FROM old_rows o WHERE o.id = r.id
            AND o.received_on IS NOT DISTINCT FROM r.received_on
            AND (o.withdrawn_at IS NULL) = (r.withdrawn_at IS NULL)
        );
    ELSE
        {CHANGE} SELECT 'applications_received', r.id, false FROM old_rows r;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER {TABLE}_indicators_ins AFTER INSERT ON {TABLE}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}();
CREATE TRIGGER {TABLE}_indicators_upd AFTER UPDATE ON {TABLE}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}();
CREATE TRIGGER {TABLE}_indicators_del AFTER DELETE ON {TABLE}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}();
"""

DROP = (
    "".join(f"DROP TRIGGER IF EXISTS {TABLE}_indicators_{op} ON {TABLE};" for op in ("ins", "upd", "del"))
    + f"DROP FUNCTION IF EXISTS {FUNCTION}();"
)

# The applications already there: each noted as changed, folded by the first count (as 0007).
EVERYTHING = f"{CHANGE} SELECT 'applications_received', id, false FROM {TABLE};"
FORGET = """
    DELETE FROM monitoring_indicatorchange WHERE figure = 'applications_received';
    DELETE FROM monitoring_indicatorpart WHERE figure = 'applications_received';
    DELETE FROM monitoring_indicatorstep WHERE figure = 'applications_received';
"""


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0008_merge_summary_and_list_order"),
        ("recruitment", "0014_evaluation_pesels_without_pending_list"),
    ]

    operations = [
        migrations.RunSQL(TRIGGERS, DROP),
        migrations.RunSQL(EVERYTHING, FORGET),
    ]

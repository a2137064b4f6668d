# The counts on the approved lists are read from the indicators' summary too
# (monitoring/indicator_summary.py, figure "lists", one subject per version of a call's lists):
# the entries' statement-level triggers note the versions whose entries a statement changed;
# the versions' triggers note every version of the calls whose versions were added, deleted,
# renumbered or decided on another day (a version's days end when the next one is decided).
# In the writer's own transaction, as migration 0007's triggers do for the other figures.

from django.db import migrations

CHANGE = "INSERT INTO monitoring_indicatorchange (figure, subject, fold)"

ENTRY_SUBJECTS = "SELECT DISTINCT 'lists', r.version_id, false FROM {rows} r"
VERSION_SUBJECTS = """
    SELECT 'lists', r.id, false FROM {rows} r
    UNION SELECT 'lists', w.id, false FROM recruitment_rankingversion w
    WHERE w.call_id IN (SELECT r.call_id FROM {rows} r)
"""
VERSION_MOVED = """
    SELECT 'lists', w.id, false FROM recruitment_rankingversion w
    WHERE w.call_id IN (
        SELECT r.call_id FROM new_rows r WHERE NOT EXISTS (
            SELECT 1 FROM old_rows o WHERE o.id = r.id AND o.call_id = r.call_id
            AND o.number = r.number AND o.decided_on IS NOT DISTINCT FROM r.decided_on
        )
        UNION
        SELECT o.call_id FROM old_rows o WHERE NOT EXISTS (
            SELECT 1 FROM new_rows r WHERE o.id = r.id AND o.call_id = r.call_id
            AND o.number = r.number AND o.decided_on IS NOT DISTINCT FROM r.decided_on
        )
    )
"""


def trigger_sql(table: str, inserted: str, updated: str, deleted: str) -> str:
    function = f"monitoring_indicatorchange_{table}"
    return f"""
    CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            {CHANGE} {inserted};
        ELSIF TG_OP = 'UPDATE' THEN
            {CHANGE} {updated};
        ELSE
            {CHANGE} {deleted};
        END IF;
        RETURN NULL;
    END $$;
    CREATE TRIGGER {table}_indicators_ins AFTER INSERT ON {table}
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
    CREATE TRIGGER {table}_indicators_upd AFTER UPDATE ON {table}
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION {function}();
    CREATE TRIGGER {table}_indicators_del AFTER DELETE ON {table}
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
    """


def drop_sql(table: str) -> str:
    return (
        "".join(
            f"DROP TRIGGER IF EXISTS {table}_indicators_{op} ON {table};"
            for op in ("ins", "upd", "del")
        )
        + f"DROP FUNCTION IF EXISTS monitoring_indicatorchange_{table}();"
    )


ENTRIES = trigger_sql(
    "recruitment_rankingentry",
    ENTRY_SUBJECTS.format(rows="new_rows"),
    ENTRY_SUBJECTS.format(rows="new_rows") + " UNION " + ENTRY_SUBJECTS.format(rows="old_rows"),
    ENTRY_SUBJECTS.format(rows="old_rows"),
)
VERSIONS = trigger_sql(
    "recruitment_rankingversion",
    VERSION_SUBJECTS.format(rows="new_rows"),
    VERSION_MOVED,
    # A deleted version's own parts go; the other versions of its call hold longer.
    VERSION_SUBJECTS.format(rows="old_rows"),
)

# The versions already there: each noted as changed, folded by the first count (as 0007).
EVERYTHING = f"{CHANGE} SELECT 'lists', id, false FROM recruitment_rankingversion;"
FORGET = """
    DELETE FROM monitoring_indicatorchange WHERE figure = 'lists';
    DELETE FROM monitoring_indicatorpart WHERE figure = 'lists';
    DELETE FROM monitoring_indicatorstep WHERE figure = 'lists';
"""


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0009_applications_in_summary"),
    ]

    operations = [
        migrations.RunSQL(ENTRIES, drop_sql("recruitment_rankingentry")),
        migrations.RunSQL(VERSIONS, drop_sql("recruitment_rankingversion")),
        migrations.RunSQL(EVERYTHING, FORGET),
    ]

"""The shared registry's tables on PostgreSQL (those of sqlite_schema.py, in the registry's schema).

Schema and migrations: meta.schema_version counts the MIGRATIONS applied. Opening a registry applies the
missing ones in one transaction under an advisory lock, so two clients opening a new registry at once
create it once. Objects are made as the schema's owner (citycode_admin after grant_roles()).

Audit: every batch row records the client's `actor` (its OS user unless told otherwise) and `db_user`, the
session_user of the connection, which a trigger sets on the server (migration 4): the client cannot choose it.

Roles (made and granted by `grant_roles()`, run once by a database administrator):
  citycode_read   SELECT: find, history, preview
  citycode_code   + INSERT/UPDATE: issue, update, retire, split, merge (no DELETE: codes are never removed)
  citycode_admin  owns the schema: migrations (opening the registry after a plugin upgrade)
"""

ROLES = ("citycode_read", "citycode_code", "citycode_admin")
TABLES = ("meta", "batches", "codes", "sequences", "audit", "lineage", "blocks", "checkins", "conflicts")
# what citycode_code may insert/update
WRITTEN_TABLES = ("batches", "codes", "sequences", "audit", "lineage", "blocks", "checkins", "conflicts")
MIGRATIONS = (
    # 1: the tables of sqlite_schema.py; one active code per identity is a constraint here. Keys compare
    # bytewise (COLLATE "C"): faster than a language collation, and codes and identities are not prose.
    # codes.batch has no foreign key: the batch row is written in the same transaction, and checking it row
    # by row would cost a third of the time of a large batch.
    """
    CREATE SCHEMA IF NOT EXISTS {s};
    CREATE TABLE {s}.meta(key text PRIMARY KEY, value text NOT NULL);
    CREATE TABLE {s}.batches(
        id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp(), actor text NOT NULL,
        action text NOT NULL, note text, count integer NOT NULL);
    CREATE TABLE {s}.codes(
        code text COLLATE "C" PRIMARY KEY, profile text COLLATE "C" NOT NULL, division text COLLATE "C" NOT NULL,
        year integer NOT NULL, seq integer NOT NULL, unit text, identity text COLLATE "C",
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
        name text, attrs jsonb, batch bigint NOT NULL);
    CREATE UNIQUE INDEX codes_active_identity ON {s}.codes(profile, identity) WHERE status = 'active';
    CREATE TABLE {s}.sequences(
        profile text COLLATE "C" NOT NULL, division text COLLATE "C" NOT NULL, year integer NOT NULL,
        last_seq integer NOT NULL, PRIMARY KEY(profile, division, year));
    CREATE TABLE {s}.audit(
        id bigserial PRIMARY KEY, batch bigint NOT NULL REFERENCES {s}.batches(id), code text COLLATE "C" NOT NULL,
        action text NOT NULL, detail text);
    CREATE INDEX audit_code ON {s}.audit(code);
    CREATE TABLE {s}.lineage(
        parent text COLLATE "C" NOT NULL, child text COLLATE "C" NOT NULL, op text NOT NULL,
        batch bigint NOT NULL REFERENCES {s}.batches(id), PRIMARY KEY(parent, child));
    CREATE INDEX lineage_child ON {s}.lineage(child);
    """,
    # 2: field packages (fieldwork/): blocks of sequence numbers reserved for a package, the package
    # changes checked in (stable ids: a second check-in applies nothing), and conflicts holding both versions.
    """
    CREATE TABLE {s}.blocks(
        id bigserial PRIMARY KEY, package text COLLATE "C" NOT NULL, profile text COLLATE "C" NOT NULL,
        division text COLLATE "C" NOT NULL, year integer NOT NULL, first_seq integer NOT NULL,
        last_seq integer NOT NULL, batch bigint NOT NULL REFERENCES {s}.batches(id));
    CREATE INDEX blocks_package ON {s}.blocks(package);
    CREATE TABLE {s}.checkins(
        change text COLLATE "C" PRIMARY KEY, package text COLLATE "C" NOT NULL, code text COLLATE "C" NOT NULL,
        version jsonb, batch bigint NOT NULL REFERENCES {s}.batches(id));
    CREATE INDEX checkins_package ON {s}.checkins(package, code);
    CREATE TABLE {s}.conflicts(
        id bigserial PRIMARY KEY, package text COLLATE "C" NOT NULL, change text COLLATE "C" NOT NULL UNIQUE,
        code text COLLATE "C" NOT NULL, kind text NOT NULL CHECK (kind IN ('edit', 'identity')),
        registry_version jsonb, package_version jsonb, batch bigint NOT NULL REFERENCES {s}.batches(id),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')), choice text,
        resolved_batch bigint REFERENCES {s}.batches(id));
    """,
    # 3: features of field packages written back to their layers: the target layer of a feature change applied
    # or of a feature conflict (kind 'feature': the feature changed in the layer and in the package).
    """
    ALTER TABLE {s}.checkins ADD COLUMN target text;
    ALTER TABLE {s}.conflicts ADD COLUMN target text, DROP CONSTRAINT conflicts_kind_check,
        ADD CONSTRAINT conflicts_kind_check CHECK (kind IN ('edit', 'identity', 'feature'));
    """,
    # 4: who did it as the database knows it: the login (session_user) of every batch, set by the server
    # whatever the client sends and never changed afterwards; `actor` stays what the client reports (its OS
    # user, or the field worker of an offline batch). Batches from before have none (NULL).
    """
    ALTER TABLE {s}.batches ADD COLUMN db_user text;
    CREATE FUNCTION {s}.batches_db_user() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.db_user := CASE WHEN TG_OP = 'INSERT' THEN session_user ELSE OLD.db_user END;
        RETURN NEW;
    END $$;
    CREATE TRIGGER batches_db_user BEFORE INSERT OR UPDATE ON {s}.batches
        FOR EACH ROW EXECUTE FUNCTION {s}.batches_db_user();
    """,
    # 5: the locator's name search reads only the codes that have a name (most have none)
    """
    CREATE INDEX codes_name ON {s}.codes (name) WHERE name IS NOT NULL;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)

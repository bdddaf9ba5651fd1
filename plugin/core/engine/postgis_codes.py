"""Codes composed and issued inside PostgreSQL: check characters as SQL expressions (the same as
checkdigit.ALGORITHMS_MANY), everything before them from a code profile, and a job's new codes written to a
PostgreSQL registry in a few set-based statements."""
from ..codes.profiles import CodeProfile
from ..i18n import tr
from .postgis_db import InDbError, Work, ident, literal


def check_sql(algorithm: str, text: str, length: int) -> str:
    """An SQL expression for the check character of `text` (an expression of exactly `length` characters),
    the same as checkdigit.ALGORITHMS_MANY[algorithm]; unrolled, so it costs no function call per row."""
    def value(i):
        c = "ascii(substr({}, {}, 1))".format(text, i + 1)
        return "({c} - CASE WHEN {c} >= 65 THEN 55 ELSE 48 END)".format(c=c)  # 0-9, A-Z = 10..35
    # mod() rather than %: the expressions go into statements with driver parameters
    if algorithm == "iso7064_mod11_2":
        # Horner's (t + c) * 2 mod 11 is linear: the sum of c_i 2^(L-i+1) mod 11
        total = " + ".join("{} * {}".format(value(i), pow(2, length - i, 11)) for i in range(length))
        return "substr('0123456789X', mod(12 - mod({}, 11), 11) + 1, 1)".format(total or "0")
    if algorithm == "iso7064_mod37_36":
        check = "18"
        for i in range(length):  # (check or 36) * 2 mod 37 + c, mod 36
            check = "mod(mod((mod({} + 35, 36) + 1) * 2, 37) + {}, 36)".format(check, value(i))
        return "substr('{}', mod(mod(1 - mod((mod({} + 35, 36) + 1) * 2, 37), 36) + 36, 36) + 1, 1)".format(
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", check)
    raise InDbError(tr("The check algorithm {} is not available inside the database").format(algorithm))


CHECK_FUNCTIONS = {"iso7064_mod11_2": "cc_check_iso7064_mod11_2", "iso7064_mod37_36": "cc_check_iso7064_mod37_36"}


def ensure_check_functions(cur, schema: str, max_length: int = 40):
    """SQL functions <schema>.cc_check_<algorithm>(text) for users' own queries (e.g. validating codes
    in SQL): the unrolled expressions of check_sql per length, NULL for another length or alphabet."""
    for algorithm, name in CHECK_FUNCTIONS.items():
        alphabet = "0-9" if algorithm == "iso7064_mod11_2" else "0-9A-Z"
        cases = " ".join("WHEN {n} THEN {e}".format(n=n, e=check_sql(algorithm, "p", n))
                         for n in range(1, max_length + 1))
        cur.execute("CREATE OR REPLACE FUNCTION {s}.{f}(p text) RETURNS text LANGUAGE sql IMMUTABLE STRICT "
                    "PARALLEL SAFE AS $$ SELECT CASE WHEN p ~ '^[{a}]+$' THEN CASE length(p) {c} END END $$"
                    .format(s=ident(cur, schema), f=name, a=alphabet, c=cases))


def prefix_sql(profile: CodeProfile, division: str, year: str, seq: str, unit: str):
    """(SQL expression, length) of everything before the check character of profile.compose(division, year,
    seq, unit) for the given SQL expressions (division, unit: text of the right length; year, seq: integers
    in range). check_sql over it gives the check character."""
    parts, length = [], 0
    for seg in profile.segments:
        if seg.type == "division":
            parts.append(division)
        elif seg.type == "literal":
            parts.append(literal(seg.value))
        elif seg.type in ("year", "sequence"):
            parts.append("lpad(({})::text, {}, '0')".format(year if seg.type == "year" else seq, seg.length))
        elif seg.type == "unit":
            parts.append(unit)
        elif seg.type == "kind":
            parts.append(literal(seg.default.zfill(seg.length)))
        else:  # check, always last
            break
        length += seg.length
    return "({})".format(" || ".join(parts)), length


def code_sql(profile: CodeProfile, prefix: str, length: int) -> str:
    """The full code from a column holding prefix_sql's value (a column: the check reads it many times)."""
    check = profile.segment("check")
    return prefix if check is None else "({} || {})".format(prefix, check_sql(check.algorithm, prefix, length))


def offer_check_functions(work: Work, schema: str):
    """ensure_check_functions in the registry schema once, when this user may create there."""
    name = "{}.{}(text)".format(work.q(schema), CHECK_FUNCTIONS["iso7064_mod11_2"])
    if work.run("SELECT has_schema_privilege(%s, 'CREATE') AND to_regprocedure(%s) IS NULL", (schema, name), "one")[0]:
        with work.conn.cursor() as cur:
            ensure_check_functions(cur, schema)


def issue_codes(work: Work, reg, profile: CodeProfile, r: str, actor: str, note: str) -> str:
    """Codes for the rows of `r` without a status: the identity's active code, or a new one numbered after
    the last sequence of its division + year (sequence rows locked as registry_postgres locks them), written
    to the registry with a batch row. Inside the caller's transaction. Returns the work table
    n(k, code, old) (code NULL: exhausted)."""
    s = reg.schema
    codes, seqs = "{}.codes".format(work.q(s)), "{}.sequences".format(work.q(s))
    active = "c.profile = %(profile)s AND c.identity = r.ident AND c.status = 'active'"
    groups = work.run("SELECT DISTINCT r.division, r.sy FROM {r} r WHERE r.pre IS NULL AND NOT EXISTS "
                      "(SELECT 1 FROM {codes} c WHERE {active})".format(r=r, codes=codes, active=active),
                      {"profile": profile.name}, "all")
    last = reg.lock_sequences(profile.name, sorted(groups)) if groups else {}
    # After the locks: identities another client coded meanwhile get that client's code.
    numbered = work.create("nn", """
        SELECT r.k, r.ident, r.division, r.year, r.sy, r.unit, c.code AS old,
               CASE WHEN c.code IS NULL THEN g.last_seq + row_number() OVER (
                    PARTITION BY r.division, r.sy, c.code IS NULL ORDER BY r.ord_n, r.ord_t, r.k) END AS seq
        FROM {r} r LEFT JOIN {codes} c ON {active}
        LEFT JOIN unnest(%(d)s::text[], %(y)s::int[], %(l)s::int[]) AS g(d, y, last_seq)
               ON g.d = r.division AND g.y = r.sy
        WHERE r.pre IS NULL""".format(r=r, codes=codes, active=active),
        {"profile": profile.name, "d": [k[0] for k in last], "y": [int(k[1]) for k in last],
         "l": list(last.values())})
    unit_seg = profile.segment("unit")
    default_unit = literal(unit_seg.default.zfill(unit_seg.length)) if unit_seg is not None else "NULL::text"
    prefix, length = prefix_sql(profile, "x.division", "x.year", "x.seq", "coalesce(x.unit, {})".format(default_unit))
    # OFFSET 0 keeps the prefix a column: inlined, the check would compose it again for every character.
    n = work.create("n", """
        SELECT y.k, y.ident, y.division, y.sy, y.seq, y.old, y.unit,
               coalesce(y.old, CASE WHEN y.seq <= {limit} THEN {code} END) AS code
        FROM (SELECT x.*, {prefix} AS prefix FROM {nn} x OFFSET 0) y""".format(
        limit=profile.sequence_limit, code=code_sql(profile, "y.prefix", length), prefix=prefix, nn=numbered),
        index="k")
    count = work.run("SELECT count(*) FROM {} WHERE old IS NULL AND code IS NOT NULL".format(n), fetch="one")[0]
    batch = reg.new_batch(actor, "issue", note, count)
    stored_unit = "coalesce(x.unit, {})".format(default_unit)
    # In identity order, as registry_postgres writes: racing batches wait on each other in the same order.
    work.run("""INSERT INTO {codes}(code, profile, division, year, seq, unit, identity, name, batch)
        SELECT x.code, %s, x.division, x.sy, x.seq, {unit}, x.ident, NULL, %s FROM {n} x
        WHERE x.old IS NULL AND x.code IS NOT NULL ORDER BY x.ident""".format(codes=codes, unit=stored_unit, n=n),
             (profile.name, batch))
    work.run("""UPDATE {seqs} q SET last_seq = least(t.top, {limit}) FROM (
        SELECT division, sy, max(seq) AS top FROM {n} WHERE old IS NULL GROUP BY division, sy) t
        WHERE q.profile = %s AND q.division = t.division AND q.year = t.sy""".format(
        seqs=seqs, limit=profile.sequence_limit, n=n), (profile.name,))
    return n

"""Many rows into SQLite at once, for the registry's batches and the GeoPackages the engine writes."""
import itertools

MAX_VARIABLES = 999  # what SQLite before 3.32 (still in some QGIS builds) binds at most in one statement


def insert_rows(con, insert: str, row: str, width: int, count: int, rows, per: int = 50) -> None:
    """`count` rows (tuples of `width` values each, an iterable) through `insert` ("INSERT INTO t(a, b) VALUES ")
    with `row` ("(?, ?)"; values the same in every row may be literals there), `per` rows to a statement (fewer
    where that would bind more than MAX_VARIABLES). A multi-row VALUES list takes a million rows in 30 % less
    time than one statement per row (scripts/bench_registry_insert.py), and SQLite, which works without the GIL,
    does more between two hand-overs of the GIL when another thread runs meanwhile."""
    per = max(1, min(per, MAX_VARIABLES // max(width, 1)))
    values = itertools.chain.from_iterable(rows)
    full, rest = divmod(count, per)
    if full:
        con.executemany(insert + ", ".join([row] * per),
                        (tuple(itertools.islice(values, per * width)) for _ in range(full)))
    if rest:
        con.execute(insert + ", ".join([row] * rest), tuple(values))

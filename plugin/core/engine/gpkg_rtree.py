"""A GeoPackage spatial index (SQLite R*Tree) filled at once, packed, instead of row by row.

GDAL before 3.8 builds the R-tree of a GeoPackage layer one row at a time (SQLite's R*Tree insert: ~9 s
for a million buildings), later ones in bulk but still slower than this (GDAL 3.10: 5.6 s against 3.2 s).
Here the tree is packed in numpy (Sort-Tile-Recursive) and its nodes written straight into the three
tables SQLite keeps it in (https://sqlite.org/rtree.html, "Shadow tables"):
  <name>_node    (nodeno, data): a node is a blob of a 2-byte depth (the root's), a 2-byte cell count and
                 cells of an 8-byte id and 4 coordinates (minx, maxx, miny, maxy) as 4-byte floats, all
                 big-endian; node 1 is the root;
  <name>_rowid   (rowid, nodeno): the leaf holding each id;
  <name>_parent  (nodeno, parentnode): of every node but the root.
Coordinates are rounded outwards to 4-byte floats as SQLite rounds them, so the index holds the boxes a
tree built by inserts holds and every query finds the same rows (`SELECT rtreecheck(...)` checks the structure).
"""
import sqlite3

import numpy as np

from ..sqlite_bulk import insert_rows

_CELL = np.dtype([("id", ">i8"), ("box", ">f4", 4)])  # 24 bytes


def fill(con: sqlite3.Connection, name: str, ids: np.ndarray, boxes: np.ndarray):
    """Fill the empty R-tree `name` (made by GDAL: its root node is there, of the node size it chose) with
    ids and their boxes (n, 4: xmin, ymin, xmax, ymax; all finite)."""
    node_table, rowid_table, parent_table = ('"{}"'.format((name + s).replace('"', '""'))
                                             for s in ("_node", "_rowid", "_parent"))
    size = len(con.execute(f"SELECT data FROM {node_table} WHERE nodeno = 1").fetchone()[0])
    per_node = (size - 4) // _CELL.itemsize
    ids = np.asarray(ids, dtype=np.int64)
    boxes = np.column_stack([_down(boxes[:, 0]), _up(boxes[:, 2]), _down(boxes[:, 1]), _up(boxes[:, 3])])
    levels = []  # from the leaves up: (the entries' ids, their boxes, the node of each), in node order
    while True:
        order = _str_order(boxes, per_node)
        ids, boxes = ids[order], boxes[order]
        node = np.arange(len(ids)) // per_node
        levels.append((ids, boxes, node))
        if len(ids) <= per_node:
            break
        count = node[-1] + 1
        starts = np.arange(count) * per_node
        ids = np.arange(count, dtype=np.int64)  # nodes are numbered below, once the tree's size is known
        boxes = np.column_stack([np.minimum.reduceat(boxes[:, 0], starts), np.maximum.reduceat(boxes[:, 1], starts),
                                 np.minimum.reduceat(boxes[:, 2], starts), np.maximum.reduceat(boxes[:, 3], starts)])
    # Node numbers: the root 1, then each level from the top down.
    first = 1
    numbers = []
    for _, _, node in reversed(levels):
        numbers.append(first + np.arange(node[-1] + 1))
        first += node[-1] + 1
    numbers.reverse()  # numbers[k][i]: the node number of node i of level k
    con.execute(f"DELETE FROM {node_table}")
    for k, (ids_, boxes_, node) in enumerate(levels):
        cells = np.zeros(len(numbers[k]) * per_node, dtype=_CELL)
        cells["id"][:len(ids_)] = ids_ if k == 0 else numbers[k - 1][ids_]
        cells["box"][:len(ids_)] = boxes_
        counts = np.bincount(node, minlength=len(numbers[k]))
        head = np.zeros((len(counts), 2), dtype=">u2")
        head[:, 1] = counts
        if k == len(levels) - 1:
            head[0, 0] = k  # the root's depth
        data = np.concatenate([head.view(np.uint8).reshape(len(counts), 4),
                               cells.view(np.uint8).reshape(len(counts), -1),
                               np.zeros((len(counts), size - 4 - per_node * _CELL.itemsize), np.uint8)], axis=1)
        con.executemany(f"INSERT INTO {node_table} (nodeno, data) VALUES (?, ?)",
                        zip(numbers[k].tolist(), map(bytes, data)))
        if k == 0:
            by_id = np.argsort(ids_, kind="stable")  # appended in key order: a third of the time of random order
            rowid, leaf = ids_[by_id], numbers[0][node[by_id]]
            for start in range(0, len(rowid), 1 << 16):  # as Python ints a slice at a time (memory)
                part = rowid[start:start + (1 << 16)]
                insert_rows(con, f"INSERT INTO {rowid_table} (rowid, nodeno) VALUES ", "(?, ?)", 2, len(part),
                            zip(part.tolist(), leaf[start:start + (1 << 16)].tolist()), per=400)
        else:
            con.executemany(f"INSERT INTO {parent_table} (nodeno, parentnode) VALUES (?, ?)",
                            zip(numbers[k - 1][ids_].tolist(), numbers[k][node].tolist()))


def _str_order(boxes: np.ndarray, per_node: int) -> np.ndarray:
    """Sort-Tile-Recursive: the entries in vertical slices of about sqrt(nodes) nodes each by x, each slice
    by y, so that every run of per_node entries is a compact tile."""
    n = len(boxes)
    nodes = -(-n // per_node)
    slice_rows = per_node * int(np.ceil(np.sqrt(nodes)))
    x = boxes[:, 0] + boxes[:, 1]
    y = boxes[:, 2] + boxes[:, 3]
    by_x = np.argsort(x, kind="stable")
    band = np.empty(n, dtype=np.int64)
    band[by_x] = np.arange(n) // slice_rows
    return np.lexsort((y, band))


# SQLite's own rounding (rtreeValueDown / rtreeValueUp): a double that is no float is scaled by 1 -/+ 2^-23
_TOWARDS, _AWAY = 1.0 - 1.0 / 8388608.0, 1.0 + 1.0 / 8388608.0


def _down(v: np.ndarray) -> np.ndarray:
    """4-byte floats at or below v, as SQLite rounds a box's minimum."""
    f = v.astype(np.float32)
    return np.where(f > v, (v * np.where(v < 0, _AWAY, _TOWARDS)).astype(np.float32), f)


def _up(v: np.ndarray) -> np.ndarray:
    """4-byte floats at or above v, as SQLite rounds a box's maximum."""
    f = v.astype(np.float32)
    return np.where(f < v, (v * np.where(v < 0, _TOWARDS, _AWAY)).astype(np.float32), f)

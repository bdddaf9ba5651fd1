"""Carrying out a Plan in the registry: codes carried, new codes issued, the old ones retired, split or merged
with their lineage, in one transaction with the new layer (written alongside), so both stand or fall together;
run again, what is done already is found and reused, nothing changes twice."""
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional

import numpy as np

from ..i18n import tr
from ..registry.base import IssueRequest, RegistryError
from .plan import AMBIGUOUS, DEMOLISHED, MERGED, MODIFIED, NEW, SPLIT, UNCHANGED, Plan

SOME = 100  # identities looked up one by one before all of them are read in one scan


@dataclass
class Applied:
    """What `apply` did: the code per new building and the counts of registry changes."""
    code: np.ndarray
    status: np.ndarray          # the class written per new building (ambiguous where the registry disagrees)
    issued: int = 0
    retired: int = 0
    splits: int = 0
    merges: int = 0
    recorded: int = 0           # modified codes whose change was recorded
    already: int = 0            # changes found done by an earlier run
    messages: List[str] = field(default_factory=list)


def _children(reg, code: str, profile: str) -> Dict[str, str]:
    """{identity: code} of the codes `code` was split or merged into."""
    out = {}
    for child in reg.lineage(code)["children"]:
        rec = reg.get(child)
        if rec is not None and rec.profile == profile and rec.identity:
            out[rec.identity] = child
    return out


def apply(reg, profile, plan: Plan, old_codes: np.ndarray, identity: np.ndarray, division: np.ndarray, year: int,
          actor: str, note: str, alongside: Optional[Callable[[Applied], None]] = None) -> Applied:
    """Carry out the plan in registry `reg` in one transaction; alongside(applied) (e.g. writing the new layer)
    runs inside it, so layer and registry stand or fall together.

    identity: of each new building (its code's identity), division: where each new building lies (for new
    codes). The registry records what its own retire / split / merge / update record (parent retired with its
    reason, lineage parent -> child, split_from / merged_from, the change in the code's attributes), with one
    batch per kind of change instead of one per building, and every new code (new buildings, parts, merged
    buildings) issued in one batch: a survey changes tens of thousands of buildings. What an earlier run did is
    found and reused, so a re-run changes nothing.
    """
    n = len(plan.new_class)
    code = np.full(n, None, dtype=object)
    status = plan.new_class.copy()
    done = Applied(code=code, status=status)
    old_codes = np.asarray(old_codes, dtype=object)
    uncoded = np.equal(old_codes, None)
    # An old building without a code (outside every division, or never coded) that is still there has none to
    # carry: where it now lies in a division it is coded as new, else it stays without a code.
    carried = np.flatnonzero(plan.carried >= 0)
    fresh = carried[uncoded[plan.carried[carried]]]
    status[fresh[np.asarray(division, dtype=str)[fresh] != ""]] = NEW
    changed = np.flatnonzero(np.isin(plan.old_class, (DEMOLISHED, SPLIT, MERGED)))
    if uncoded[changed].any():
        raise RegistryError(tr("{} old buildings that the survey changes have no code; code the old layer "
                               "first").format(int(uncoded[changed].sum())))
    touched = np.flatnonzero(np.isin(plan.old_class, (UNCHANGED, MODIFIED, DEMOLISHED, SPLIT, MERGED)) & ~uncoded)

    def refuse(idx, why):
        status[idx] = AMBIGUOUS
        code[idx] = None
        done.messages.append(why)

    def work():
        inactive = reg.inactive(old_codes[touched].tolist())  # every code looked at below is one of these
        carry = carried[~uncoded[plan.carried[carried]]]
        code[carry] = old_codes[plan.carried[carry]]
        for i in [i for i, c in zip(carry.tolist(), code[carry].tolist()) if c in inactive]:
            refuse([i], tr("Code {} is no longer active in the registry: building left for review").format(code[i]))
        # splits and merges to do (parents active) or done by an earlier run (found through the lineage)
        todo = []  # (kind, parents, new indices)
        for g, (new_i, old_j) in plan.members_of(plan.new_group[np.isin(status, (SPLIT, MERGED))]).items():
            parents, ids = old_codes[old_j].tolist(), identity[new_i].tolist()
            if not any(p in inactive for p in parents):
                todo.append((str(status[new_i[0]]), parents, new_i))
                continue
            found = [_children(reg, p, profile.name) for p in parents]
            kids = {k: v for k, v in found[0].items() if all(f.get(k) == v for f in found[1:])}
            if all(i in kids for i in ids):
                code[new_i] = [kids[i] for i in ids]
                done.already += 1
            else:
                refuse(new_i, tr("Codes {} changed in the registry since the old layer was made: left for "
                                 "review").format(", ".join(parents)))
        # every new code in one batch: new buildings where they lie, parts and merged ones in their first parent's
        # division (as the registry's split and merge); an identity coded by an earlier run keeps its code
        rows = np.r_[np.flatnonzero(status == NEW), np.concatenate([t[2] for t in todo]) if todo else []]
        rows = rows.astype(np.int64)
        where = division.astype(object).copy()
        first = dict(reg._in("SELECT code, division FROM codes WHERE code IN ({})", sorted({t[1][0] for t in todo})))
        for kind, parents, new_i in todo:
            where[new_i] = first[parents[0]]
        # all coded by an earlier run: no batch at all (a few identities first: reading all the registry's
        # identities is for nothing on a first run)
        some = identity[rows[:SOME]]
        known = reg._existing(profile.name, identity[rows]) if len(rows) and \
            len(reg._existing(profile.name, some)) == len(some) else {}
        if len(known) == len(rows):
            code[rows] = [known.get(i) for i in identity[rows]]
            done.already += len(rows)
        else:
            issued = reg.issue(profile, IssueRequest(
                identity=identity[rows], division=where[rows].astype(str), year=np.full(len(rows), int(year)),
                order=rows), actor, note)
            code[rows] = issued.code
            done.issued = int(issued.is_new.sum())
            done.messages += issued.messages
            status[rows[issued.exhausted]] = AMBIGUOUS
            fresh = set(rows[issued.is_new].tolist())
            done.already += len(rows) - len(fresh) - int(issued.exhausted.sum())
            for kind, parents, new_i in [t for t in todo if not set(t[2].tolist()) <= fresh]:
                refuse(new_i, tr("Codes {} changed in the registry since the old layer was made: left for "
                                 "review").format(", ".join(parents)))
            todo = [t for t in todo if set(t[2].tolist()) <= fresh]
        _record_changes(reg, plan, todo, code, old_codes, inactive, status, year, actor, note, done)
        if alongside:
            alongside(done)
        return done

    with reg.pending():
        return work()


def _record_changes(reg, plan, todo, code, old_codes, inactive, status, year, actor, note, done):
    """The registry's records of modified, demolished, split and merged buildings (see apply)."""
    modified = np.flatnonzero(status == MODIFIED)
    recs = reg.records(code[modified].tolist())
    changes = {}
    for i in modified.tolist():
        change = {"year": int(year), "area_change": round(float(plan.area_change[i]), 4),
                  "shift_m": None if np.isnan(plan.shift[i]) else round(float(plan.shift[i]), 3)}
        rec = recs.get(code[i])
        if rec is not None and rec.status == "active" and rec.attrs.get("vintage") == change:
            done.already += 1
        else:
            changes[code[i]] = {"vintage": change}
    if changes:  # as Registry.update, one batch
        done.recorded = reg.update_many(changes, actor, note)
    gone = [c for c in old_codes[plan.old_class == DEMOLISHED].tolist() if c not in inactive]
    done.already += int((plan.old_class == DEMOLISHED).sum()) - len(gone)
    if gone:  # as Registry.retire
        reason = tr("demolished (survey {})").format(year)
        reg.retire_many(gone, actor, reason)
        done.retired = len(gone)
    for kind in (SPLIT, MERGED):  # as Registry.split and Registry.merge
        groups = [t for t in todo if t[0] == kind]
        if not groups:
            continue
        op = "split" if kind == SPLIT else "merge"
        batch = reg.new_batch(actor, op, note, sum(len(t[2]) if kind == SPLIT else len(t[1]) for t in groups))
        reg.retire_many([p for _, parents, _ in groups for p in parents], actor, op, batch)
        reg.record_lineage([(p, child, op) for _, parents, new_i in groups for child in code[new_i].tolist()
                            for p in parents], batch)
        if kind == SPLIT:
            done.splits = len(groups)
        else:
            done.merges = len(groups)


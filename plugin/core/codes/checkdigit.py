"""ISO 7064 check characters used by code profiles.

The JGJ/T 246-2012 房屋代码 ends in a check character whose lookup table is not public; CityCode uses
ISO 7064 MOD 11-2 (the system of the 18-digit 身份证号) for it. Profiles with letters use MOD 37,36, the
hybrid system that yields a single character 0-9A-Z.

Each algorithm works on a matrix of character values (one code per row) so that a million codes are
checked in a few vectorised steps; the scalar helpers run the same code on one row.
"""
import numpy as np

ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_VALUE = np.full(256, -1, dtype=np.int8)
for _i, _c in enumerate(ALNUM):
    _VALUE[ord(_c)] = _i


def _columns(chars: np.ndarray, allowed: int):
    """Character values of each column of an (N, L) uint8 ASCII matrix, left to right."""
    for j in range(chars.shape[1]):
        v = _VALUE[chars[:, j]]
        if (v < 0).any() or (v >= allowed).any():
            raise ValueError("characters outside the alphabet of the check algorithm")
        yield v


def mod11_2_many(chars: np.ndarray) -> np.ndarray:
    """Check characters (b'0'-b'9' or b'X') for an (N, L) uint8 matrix of ASCII digits."""
    total = np.zeros(len(chars), dtype=np.int16)
    for col in _columns(chars, 10):
        total = (total + col) * 2 % 11
    return np.frombuffer(b"0123456789X", dtype=np.uint8)[(12 - total) % 11]


def mod37_36_many(chars: np.ndarray) -> np.ndarray:
    """Check characters (0-9A-Z) for an (N, L) uint8 matrix of ASCII 0-9A-Z, ISO 7064 MOD 37,36."""
    m = 36
    check = np.full(len(chars), m // 2, dtype=np.int16)
    for col in _columns(chars, m):
        check = (np.where(check == 0, m, check) * 2 % (m + 1) + col) % m
    check = (1 - np.where(check == 0, m, check) * 2 % (m + 1)) % m
    return np.frombuffer(ALNUM.encode(), dtype=np.uint8)[check]


ALGORITHMS_MANY = {
    "iso7064_mod11_2": mod11_2_many,
    "iso7064_mod37_36": mod37_36_many,
}


def check_char(algorithm: str, text: str) -> str:
    """The check character of one string."""
    row = np.frombuffer(text.upper().encode("ascii", "replace"), dtype=np.uint8).reshape(1, -1)
    return chr(ALGORITHMS_MANY[algorithm](row)[0])


# -- the national codes' own check systems (not ISO 7064) -----------------------------------------------
# GB 32100-2015 统一社会信用代码: 31 characters (0-9, A-Z without I O S V Z), weights 3^(i-1) mod 31,
# check = 31 - (Σ value·weight mod 31), 31 written as '0'.
GB32100_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_GB32100_VALUE = np.full(256, -1, dtype=np.int16)
for _i, _c in enumerate(GB32100_ALPHABET):
    _GB32100_VALUE[ord(_c)] = _i
_GB32100_WEIGHTS = np.array([3 ** i % 31 for i in range(17)], dtype=np.int32)

# GB 11714-1997 组织机构代码: 8 characters 0-9/A-Z (A = 10 ... Z = 35), weights 3 7 9 10 5 8 4 2,
# check = 11 - (Σ value·weight mod 11), 10 written as 'X' and 11 as '0'.
_GB11714_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int32)


def _weighted(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    if values.shape[1] != len(weights):
        raise ValueError("the check algorithm needs exactly {} characters".format(len(weights)))
    if (values < 0).any():
        raise ValueError("characters outside the alphabet of the check algorithm")
    return (values.astype(np.int32) * weights).sum(axis=1)


def gb32100_many(chars: np.ndarray) -> np.ndarray:
    """Check characters for an (N, 17) uint8 matrix of the first 17 characters of 统一社会信用代码."""
    total = _weighted(_GB32100_VALUE[chars], _GB32100_WEIGHTS)
    return np.frombuffer(GB32100_ALPHABET.encode(), dtype=np.uint8)[(31 - total % 31) % 31]


def gb11714_many(chars: np.ndarray) -> np.ndarray:
    """Check characters (0-9 or X) for an (N, 8) uint8 matrix of 组织机构代码 bodies."""
    total = _weighted(_VALUE[chars], _GB11714_WEIGHTS)
    return np.frombuffer(b"0123456789X", dtype=np.uint8)[(11 - total % 11) % 11]


ALGORITHMS_MANY.update({"gb32100": gb32100_many, "gb11714": gb11714_many})

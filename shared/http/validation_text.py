"""Indonesian messages for pydantic's validation errors (422 invalid_input), English kept beside."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.http.render import render
from shared.textrules import PATTERN_WORDS

# --- validation errors ----------------------------------------------------------------------

_DATE = "Tanggal tidak valid; gunakan format TTTT-BB-HH (contoh: 2024-06-30)."
_DATETIME = "Waktu tidak valid; gunakan format ISO 8601 (contoh: 2024-06-30T09:00:00+07:00)."
_UUID = "ID tidak valid; harus berupa UUID (contoh: 0190a6f2-7c1e-7d3a-9b1e-2f4c5d6e7f80)."
_INTEGER = "Harus berupa bilangan bulat."
_NUMBER = "Harus berupa angka."
_BOOLEAN = "Harus berupa nilai benar atau salah (true atau false)."
_OBJECT = "Harus berupa objek JSON."
_LIST = "Harus berupa daftar (array JSON)."
_CHOICE = "Nilai tidak dikenal[; pilih salah satu: {expected}]."
_INVALID = "Nilai tidak valid."

VALIDATION_MESSAGES: dict[str, str] = {
    "missing": "Wajib diisi.",
    "string_type": "Harus berupa teks.",
    "string_too_short": "Terlalu pendek[; paling sedikit {min_length} karakter].",
    "string_too_long": "Terlalu panjang[; paling banyak {max_length} karakter].",
    "string_pattern_mismatch": "Formatnya tidak sesuai[; harus berupa {rule}].",
    "text_control_character": (
        "Teks tidak boleh memuat karakter kontrol seperti NUL[ (ditemukan {character}"
        "[ pada karakter ke-{place}])]."
    ),
    "unknown_region": (
        "Kode wilayah (Kanwil) [{region} ]tidak dikenal[; pilih salah satu: {expected}]."
    ),
    "string_unicode": "Harus berupa teks Unicode yang sah.",
    "enum": _CHOICE,
    "literal_error": _CHOICE,
    "int_parsing": _INTEGER,
    "int_type": _INTEGER,
    "int_from_float": _INTEGER,
    "float_parsing": _NUMBER,
    "float_type": _NUMBER,
    "decimal_parsing": _NUMBER,
    "decimal_type": _NUMBER,
    "bool_parsing": _BOOLEAN,
    "bool_type": _BOOLEAN,
    "greater_than_equal": "[Nilai paling rendah {ge}|Nilai terlalu kecil].",
    "greater_than": "[Nilai harus lebih besar dari {gt}|Nilai terlalu kecil].",
    "less_than_equal": "[Nilai paling tinggi {le}|Nilai terlalu besar].",
    "less_than": "[Nilai harus lebih kecil dari {lt}|Nilai terlalu besar].",
    "multiple_of": "[Nilai harus kelipatan {multiple_of}|Nilai tidak valid].",
    "too_short": "[Paling sedikit {min_length} butir|Jumlah butir terlalu sedikit].",
    "too_long": "[Paling banyak {max_length} butir|Jumlah butir terlalu banyak].",
    "date_parsing": _DATE,
    "date_type": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": "Isi tanggal saja, tanpa jam (format TTTT-BB-HH).",
    "date_past": "Tanggal harus sebelum hari ini.",
    "date_future": "Tanggal harus setelah hari ini.",
    "datetime_parsing": _DATETIME,
    "datetime_type": _DATETIME,
    "datetime_from_date_parsing": _DATETIME,
    "time_parsing": "Jam tidak valid; gunakan format JJ:MM (contoh: 09:30).",
    "uuid_parsing": _UUID,
    "uuid_type": _UUID,
    "uuid_version": _UUID,
    "url_parsing": "Alamat URL tidak valid.",
    "url_type": "Alamat URL tidak valid.",
    "json_invalid": (
        "Isi permintaan bukan JSON yang sah[: {problem}][ pada baris {line}, kolom {column}]; "
        "periksa tanda kutip, koma, dan kurung."
    ),
    "json_type": "Harus berupa teks JSON.",
    "body_not_utf8": (
        "Isi permintaan bukan teks UTF-8 yang sah[ (byte ke-{place})]; kirim JSON dalam UTF-8."
    ),
    "model_type": _OBJECT,
    "model_attributes_type": _OBJECT,
    "dict_type": _OBJECT,
    "list_type": _LIST,
    "tuple_type": _LIST,
    "set_type": _LIST,
    "frozen_set_type": _LIST,
    "extra_forbidden": "Isian ini tidak dikenal; hapus dari permintaan.",
    "value_error": _INVALID,
    "assertion_error": _INVALID,
    "union_tag_invalid": "Jenisnya tidak dikenal[; pilih salah satu: {expected_tags}].",
    "union_tag_not_found": "Isian penentu jenis ({discriminator}) wajib diisi.",
}
"""Indonesian text of pydantic's error types; pydantic's English stays in `message_en`."""


def _validator_text(text: str, terms: Mapping[str, str]) -> str | None:
    """The Indonesian of a validator's own ValueError: an exact entry, or the longest phrase
    entry (one with a space) the text starts with."""
    if text in terms:
        return terms[text]
    phrases = [key for key in terms if " " in key and text.startswith(key)]
    return terms[max(phrases, key=len)] if phrases else None


_JSON_PROBLEMS = {
    "Expecting value": "nilai diharapkan",
    "Expecting ',' delimiter": "koma diharapkan",
    "Expecting ':' delimiter": "titik dua diharapkan",
    "Expecting property name enclosed in double quotes": (
        "nama isian dalam tanda kutip ganda diharapkan"
    ),
    "Unterminated string starting at": "teks tidak ditutup dengan tanda kutip",
    "Invalid control character at": "karakter kontrol di dalam teks",
    "Invalid \\escape": "escape (\\) tidak sah",
    "Extra data": "ada data lagi setelah JSON selesai",
}


def json_position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of a character offset in `text`."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def explain_json_error(error: dict[str, Any], body: Any) -> dict[str, Any]:
    """A `json_invalid` error told by line and column (its `loc` is `("body", offset)`,
    which would otherwise read as a field called "47")."""
    loc = tuple(error.get("loc", ()))
    offset = loc[-1] if loc and isinstance(loc[-1], int) else None
    ctx = dict(error.get("ctx") or {})
    problem = str(ctx.get("error", "")) or "not JSON"
    out = {**error, "loc": ("body",), "ctx": ctx}
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    if offset is not None and isinstance(body, str):
        line, column = json_position(body, offset)
        ctx.update(line=line, column=column)
        out["msg"] = f"The body is not valid JSON: {problem} at line {line}, column {column}"
    else:
        out["msg"] = f"The body is not valid JSON: {problem}"
    ctx["problem"] = _JSON_PROBLEMS.get(problem, "")
    return out


def validation_message_en(error: Mapping[str, Any]) -> str:
    """The English message of one pydantic error: pydantic's own, except that a pattern is
    told in words (shared.textrules.described_pattern), never as a regular expression."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "string_pattern_mismatch":
        words = PATTERN_WORDS.get(str(ctx.get("pattern", "")))
        return f"Must be {words[1]}" if words else "The format is not as required"
    return str(error.get("msg", ""))


def validation_message(error: Mapping[str, Any], terms: Mapping[str, str] | None = None) -> str:
    """The Indonesian message of one pydantic error (a dict of `errors()`)."""
    terms = terms or {}
    kind = str(error.get("type", ""))
    ctx = dict(error.get("ctx") or {})
    if kind == "string_pattern_mismatch":
        words = PATTERN_WORDS.get(str(ctx.pop("pattern", "")))
        if words:
            ctx["rule"] = words[0]
    if kind in ("value_error", "assertion_error") and "error" in ctx:
        raw = str(ctx["error"])
        own = _validator_text(raw, terms)
        if own is not None:
            return render(own, {}, terms)
    values: dict[str, Any] = {
        key: value.replace(" or ", " atau ") if isinstance(value, str) else value
        for key, value in ctx.items()
        if isinstance(value, str | int | float)
    }
    return render(VALIDATION_MESSAGES.get(kind, _INVALID), values)

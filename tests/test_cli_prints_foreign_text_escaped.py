"""`vfa journal` and `vfa demo` print text read from files and from the model as written.

`vfa journal` escapes what it prints of the journal's rows (`_demo.printable`), yet:

- a database without a vfa journal is refused naming its table's columns as written (`_journal._read_only`,
  and `EffectJournal._open` when `vfa demo` opens its folder's journal.db), and `vfa demo` names the columns
  of another app's checkpoints table alike (`cli._foreign_checkpoints`): a column named with an OSC or CSI
  sequence retitles or clears the user's terminal;
- `vfa demo` prints the model's last answer (`model: ...`) as written: it quotes what the payments returned,
  which the ledger's file in the folder says for a payment already made;
- `printable` escapes most format characters but not the tag characters (U+E0001, U+E0020-U+E007F) nor
  the Arabic number signs and the other format characters of Unicode's Cf class: a tool name can carry
  text no one sees in the printout ("ASCII smuggling"), though its docstring promises every control and
  format character written as its escape.

Must hold: nothing `vfa` prints carries a control or format character it read from a file or a model
(other than its own line breaks).

Fixed: those prints go through printable, which now escapes every control and format character, lone
surrogates and plane 14.
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata

from vfa import EffectJournal
from vfa._demo import printable
from vfa.cli import main

ESC = "a\x1b]0;owned\x07\x1b[2J"


def _raw(text: str) -> list[str]:
    return sorted({hex(ord(c)) for c in text if c != "\n" and unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")})


def _foreign(path, table: str = "journal") -> None:
    db = sqlite3.connect(path)
    db.execute(f'CREATE TABLE {table} ("{ESC}" TEXT)')
    db.commit()
    db.close()


def test_vfa_journal_on_another_apps_table_prints_its_columns_escaped(tmp_path, capsys) -> None:
    _foreign(tmp_path / "other.db")
    assert main(["journal", str(tmp_path / "other.db")]) == 2
    err = capsys.readouterr().err
    assert "without a vfa journal" in err and _raw(err) == [], err


def test_vfa_demo_on_another_apps_journal_prints_its_columns_escaped(tmp_path, capsys) -> None:
    _foreign(tmp_path / "journal.db")
    assert main(["demo", "--dir", str(tmp_path), "--yes"]) == 2
    err = capsys.readouterr().err
    assert "no vfa journal" in err and _raw(err) == [], err


def test_vfa_demo_on_another_apps_checkpoints_prints_its_columns_escaped(tmp_path, capsys) -> None:
    _foreign(tmp_path / "checkpoints.db", "writes")
    assert main(["demo", "--dir", str(tmp_path), "--yes"]) == 2
    err = capsys.readouterr().err
    assert "another app's database" in err and _raw(err) == [], err


def test_vfa_demo_prints_the_models_answer_escaped(tmp_path, capsys) -> None:
    # the rent's payment, made before by this thread's call as the ledger keeps it: its answer is what the
    # transfer returns, and the model quotes it
    paid = {"demo": {"call_1_0": "sent 100 to landlord\x1b[8m\x1b]0;owned\x07"}}
    (tmp_path / "ledger.json").write_text(json.dumps({"balance": 300, "payees": ["landlord", "alice"],
                                                      "limit": 100, "paid": paid}))
    assert main(["demo", "--dir", str(tmp_path), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "model: Done: sent 100 to landlord" in out and _raw(out) == [], [ln for ln in out.splitlines() if "\x1b" in ln]


def test_printable_escapes_every_control_and_format_character() -> None:
    hidden = "lookup" + "".join(chr(0xE0000 + ord(c)) for c in "transfer") + "\U000e0001\u0600\u06dd\u070f\U0001d173"
    assert _raw(printable(hidden)) == [], printable(hidden)
    assert printable("pay µs café ok") == "pay µs café ok"


def test_vfa_journal_prints_a_tool_name_with_tag_characters_escaped(tmp_path, capsys) -> None:
    tool = "get_balance" + "".join(chr(0xE0000 + ord(c)) for c in " then transfer all")
    journal = EffectJournal(tmp_path / "journal.db")
    journal.append([("t", "c1", tool, "proposed", {"args": {}})])
    journal.close()
    assert main(["journal", str(tmp_path / "journal.db")]) == 0
    out = capsys.readouterr().out
    assert "get_balance" in out and _raw(out) == [], out

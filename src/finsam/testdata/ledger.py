"""Generated SIE 4 files of any size, for the tests and the benchmarks: balanced vouchers of the example
association (org. number 222000-0000, unless another is given), the same bytes for the same arguments."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

ACCOUNTS = ["4610", "5410", "6110", "6230", "6540", "6990", "7010"]
PROJECTS = ["STEG", "TEAM", "KOMP", "KANSLI", "REV"]
TEXTS = ["Köp av tjänst", "Hyra lokal", "Lön", "Konsultarvode", "Kontorsmaterial", "Resa Växjö"]


def write_sie(path: Path, rows: int, *, quoted: bool = False, orgnr: str = "222000-0000") -> None:
    """Balanced vouchers of 2 to 6 rows: costs on a project object, VAT, and the bank; some with texts."""
    rng = random.Random(2025)
    head = [
        "#FLAGGA 0",
        "#FORMAT PC8",
        "#SIETYP 4",
        '#PROGRAM "finsam bench" 1.0',
        "#GEN 20250115",
        '#FNAMN "Samordningsförbundet Prestanda"',
        f"#ORGNR {orgnr}",
        "#RAR 0 20240101 20241231",
        '#DIM 6 "Projekt"',
        *(f'#OBJEKT 6 "{code}" "{code.title()}"' for code in PROJECTS),
        *(f"#KONTO {account} Kostnad" for account in [*ACCOUNTS, "1930", "2641"]),
    ]
    written = 0
    number = 0
    with path.open("w", encoding="cp437", newline="\r\n") as out:
        out.write("\n".join(head) + "\n")
        while written < rows:
            number += 1
            count = min(max(rows - written, 2), rng.choice((2, 3, 4, 4, 5, 6)))
            day = f"2024{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
            series = f'"A" "{number}"' if quoted else f"A {number}"
            out.write(f'#VER {series} {day} "{rng.choice(TEXTS)} {number}" 20250110\n{{\n')
            total = 0
            for index in range(count - 1):
                cents = rng.randint(100, 5_000_000)
                total += cents
                amount = Decimal(cents).scaleb(-2)
                if index == 1:
                    out.write(f"   #TRANS 2641 {{}} {amount}\n")
                elif index == 0 and rng.random() < 0.4:
                    project = rng.choice(PROJECTS)
                    text = rng.choice(TEXTS)
                    out.write(f'   #TRANS {rng.choice(ACCOUNTS)} {{6 "{project}"}} {amount} {day} "{text}"\n')
                else:
                    out.write(f'   #TRANS {rng.choice(ACCOUNTS)} {{6 "{rng.choice(PROJECTS)}"}} {amount}\n')
            out.write(f"   #TRANS 1930 {{}} {Decimal(-total).scaleb(-2)}\n}}\n")
            written += count

"""How each specialty operates, and the generator's fixed hours and mixes.

Realistic figures for a general hospital's surgical suite: case durations,
room shares, anaesthesia, equipment and risks by specialty; session hours and
urgency mixes; the partner hospitals of the Cannes area and what they take.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..scenario.contacts import Contact, Hospital

DAY_START = 8 * 60
DAY_END = 18 * 60
MIN_DURATION = 15
MAX_DURATION = 600

# Session opening hours and how often each occurs: mostly full days, some half days.
SESSION_HOURS: tuple[tuple[int, int], ...] = (
    (DAY_START, DAY_END),
    (DAY_START, 16 * 60),
    (DAY_START, 13 * 60),
    (13 * 60, DAY_END),
)
SESSION_HOURS_P = (0.85, 0.05, 0.05, 0.05)

PLANNED_URGENCY = (
    ("EMERGENCY", 0.02),
    ("P1a", 0.04),
    ("P1b", 0.08),
    ("P2", 0.30),
    ("P3", 0.32),
    ("P4", 0.24),
)
WAITING_URGENCY = (("P2", 0.35), ("P3", 0.38), ("P4", 0.27))
POOLS = ("c_arm", "navigation")


@dataclass(frozen=True)
class Specialty:
    """How one specialty operates: durations, room share, equipment and risks."""

    name: str
    code: str  # prefix of its surgeons' ids
    mean_min: float  # mean case duration (lognormal)
    cv: float  # standard deviation / mean
    room_share: float  # share of the suite's room time
    anaesthesia: tuple[float, float, float]  # general, regional, local
    icu: float  # probability a case needs an ICU bed
    paediatric: float
    pools: tuple[tuple[str, float], ...] = ()  # mobile equipment and how often it is needed
    fixed: tuple[tuple[str, float], ...] = ()  # fixed equipment, needed when the room has it
    transferable: float = 0.15  # share of cases a partner could take
    affinity: tuple[str, ...] = ()  # specialties its rooms also host


# One specialty a row: name, surgeons' id prefix, mean case duration (min), its
# coefficient of variation, share of the suite's room time, anaesthesia mix
# (general, regional, local), probability of an ICU bed, of a paediatric patient;
# then what differs from the defaults: equipment and how often a case needs it,
# the share of cases a partner could take, the specialties its rooms also host.
SPECIALTIES: tuple[Specialty, ...] = (
    Specialty("general_surgery", "GEN", 140, 0.7, 0.20, (0.92, 0.05, 0.03), 0.05, 0.04,
              pools=(("c_arm", 0.05),), fixed=(("robot", 0.15),),
              affinity=("urology", "gynaecology", "vascular")),
    Specialty("orthopaedics",    "ORT", 100, 0.6, 0.20, (0.60, 0.38, 0.02), 0.01, 0.04,
              pools=(("c_arm", 0.3), ("navigation", 0.08)), fixed=(("laminar_flow", 0.5),),
              affinity=("general_surgery",)),
    Specialty("ophthalmology",   "OPH",  35, 0.6, 0.10, (0.15, 0.35, 0.50), 0.00, 0.08,
              affinity=("ent",)),
    Specialty("urology",         "URO",  80, 0.7, 0.12, (0.70, 0.25, 0.05), 0.01, 0.03,
              pools=(("c_arm", 0.1),), fixed=(("robot", 0.3),),
              affinity=("gynaecology", "general_surgery")),
    Specialty("gynaecology",     "GYN", 110, 0.7, 0.12, (0.85, 0.12, 0.03), 0.01, 0.00,
              fixed=(("robot", 0.2),),
              affinity=("urology", "general_surgery")),
    Specialty("ent",             "ENT",  75, 0.7, 0.10, (0.90, 0.02, 0.08), 0.01, 0.12,
              pools=(("navigation", 0.15),),
              affinity=("ophthalmology", "general_surgery")),
    Specialty("vascular",        "VAS", 150, 0.7, 0.09, (0.80, 0.18, 0.02), 0.15, 0.00,
              pools=(("c_arm", 0.6),),
              affinity=("neurovascular", "general_surgery")),
    Specialty("neurovascular",   "NVA", 180, 0.7, 0.07, (0.95, 0.05, 0.00), 0.40, 0.00,
              pools=(("c_arm", 0.5), ("navigation", 0.5)), transferable=1.0,
              affinity=("vascular",)),
)  # fmt: skip

# Partner hospitals of the Cannes area and the share of the specialty's daily
# cases each can take on a working day.
URGENT_CLASSES = frozenset({"EMERGENCY", "P1a", "P1b"})
PARTNERS: tuple[tuple[str, tuple[tuple[str, float], ...]], ...] = (
    ("CHU_Nice", (("neurovascular", 0.6), ("vascular", 0.3), ("general_surgery", 0.1))),
    ("CH_Antibes", (("orthopaedics", 0.15), ("general_surgery", 0.1), ("gynaecology", 0.15))),
    ("CH_Grasse", (("ophthalmology", 0.15), ("ent", 0.15), ("urology", 0.15))),
)


# Who the patients call, printed on their letters: the Cannes area's hospitals.
# The phone numbers are from the ranges ARCEP reserves for fiction.
HOSPITAL = Hospital(
    name="Centre hospitalier de Cannes",
    address="15 avenue des Broussailles, 06400 Cannes",
    phone="04 65 71 00 00",
)
PARTNER_CONTACTS: dict[str, Contact] = {
    "CHU_Nice": Contact(
        name="CHU de Nice, hôpital Pasteur 2",
        address="30 voie Romaine, 06000 Nice",
        phone="04 65 71 00 01",
    ),
    "CH_Antibes": Contact(
        name="Centre hospitalier d'Antibes Juan-les-Pins",
        address="107 avenue de Nice, 06600 Antibes",
        phone="04 65 71 00 02",
    ),
    "CH_Grasse": Contact(
        name="Centre hospitalier de Grasse",
        address="Chemin de Clavary, 06130 Grasse",
        phone="04 65 71 00 03",
    ),
}


def specialties_for(n_rooms: int) -> list[Specialty]:
    """All specialties, or the ones with most room time when rooms are fewer."""
    if n_rooms >= len(SPECIALTIES):
        return list(SPECIALTIES)
    keep = sorted(SPECIALTIES, key=lambda s: -s.room_share)[:n_rooms]
    return [s for s in SPECIALTIES if s in keep]

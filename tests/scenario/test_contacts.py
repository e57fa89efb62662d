"""``[hospital]`` and ``[partners.<id>]`` of ``policy.toml``: who the patients call, read with
file, line and key in every error, and written back with the scenario."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from optimizer.scenario import ScenarioError, load_scenario, write_scenario
from optimizer.scenario.contacts import Contact, Hospital
from tests.support.paths import DEMO


def _demo_with_contacts(tmp_path: Path, contacts: str) -> Path:
    """The demo with ``contacts`` in place of its own [hospital] and [partners.*] tables
    (tables last, a top-level key first)."""
    folder = tmp_path / "s"
    shutil.copytree(DEMO, folder)
    policy = folder / "policy.toml"
    text = policy.read_text(encoding="utf-8")
    text = text[: text.index("[hospital]")]
    both = text + contacts if contacts.startswith("[") or not contacts else contacts + text
    policy.write_text(both, encoding="utf-8")
    return folder


def test_the_demo_names_its_hospital_and_partners() -> None:
    """The demo's letters have a letterhead, an arrival rule and the three partners' phones."""
    policy = load_scenario(DEMO).policy
    assert policy.hospital.name == "Centre hospitalier de Cannes"
    assert policy.hospital.phone and policy.hospital.arrival_before_min == 90
    assert set(policy.partners) == {"CHU_Nice", "CH_Antibes", "CH_Grasse"}
    assert all(p.name and p.phone and p.address for p in policy.partners.values())


def test_defaults_and_round_trip(tmp_path: Path) -> None:
    """No table: an unnamed hospital, arrival 90 min before the start, no partner, and nothing
    written back; with them, the scenario written and read again holds the same contacts."""
    bare = load_scenario(_demo_with_contacts(tmp_path / "a", "")).policy
    assert bare.hospital == Hospital() and bare.hospital.arrival_before_min == 90
    assert bare.partners == {}
    out = write_scenario(load_scenario(_demo_with_contacts(tmp_path / "b", "")), tmp_path / "c")
    assert "[hospital]" not in (out / "policy.toml").read_text(encoding="utf-8")
    scenario = load_scenario(DEMO)
    again = load_scenario(write_scenario(scenario, tmp_path / "copy")).policy
    assert again.hospital == scenario.policy.hospital
    assert again.partners == scenario.policy.partners
    odd = _demo_with_contacts(
        tmp_path / "d", '[partners."CH Grasse"]\nname = "L\'hôpital \\"Clavary\\""\n'
    )
    odd_policy = load_scenario(odd).policy
    assert odd_policy.partners == {"CH Grasse": Contact(name='L\'hôpital "Clavary"')}
    back = load_scenario(write_scenario(load_scenario(odd), tmp_path / "e")).policy
    assert back.partners == odd_policy.partners


@pytest.mark.parametrize(
    ("contacts", "column", "line"),
    [
        ("[hospital]\narrival_before_min = -5\n", "hospital.arrival_before_min", 2),
        ('[hospital]\narrival_before_min = "90"\n', "hospital.arrival_before_min", 2),
        ("[hospital]\nname = 'CH'\nphone = 465710000\n", "hospital.phone", 3),
        ('hospital = "Cannes"\n', "hospital", 1),
        ("[partners]\nCH_Grasse = 3\n", "partners.CH_Grasse", 2),
        ("[partners.CH_Grasse]\naddress = ['a', 'b']\n", "partners.CH_Grasse.address", 2),
        ('partners = "none"\n', "partners", 1),
    ],
)
def test_a_bad_value_names_the_file_line_and_key(
    tmp_path: Path, contacts: str, column: str, line: int
) -> None:
    """Each bad value is an error naming policy.toml, the key and its line."""
    folder = _demo_with_contacts(tmp_path, contacts)
    text = (folder / "policy.toml").read_text(encoding="utf-8")
    first = text.count("\n") - contacts.count("\n") if contacts.startswith("[") else 0
    with pytest.raises(ScenarioError) as err:
        load_scenario(folder)
    problems = [p for p in err.value.problems if p.column == column]
    assert problems, err.value.problems
    assert problems[0].file == "policy.toml" and problems[0].row == first + line


def test_an_unknown_key_is_a_warning(tmp_path: Path) -> None:
    """A key the letters do not use (a fax number, say) is reported and ignored."""
    folder = _demo_with_contacts(tmp_path, '[hospital]\nname = "CH"\nfax = "04"\n')
    scenario = load_scenario(folder)
    assert scenario.policy.hospital == Hospital(name="CH")
    assert "policy.toml: unknown key hospital.fax ignored" in scenario.warnings

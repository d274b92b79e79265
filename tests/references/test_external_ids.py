"""External-catalogue ids built from citations: OCRE, CRRO, RPC Online, and None elsewhere."""

from __future__ import annotations

import dataclasses

import pytest

from coinstack_graphql.references.citations import parse_citation
from coinstack_graphql.references.external_ids import (
    ExternalLinkTarget,
    canonical_authority,
    crro_target,
    external_targets,
    nomisma_target,
    ocre_target,
    rpc_online_target,
)


@pytest.mark.parametrize(
    ("citation", "external_id"),
    [
        ("Crawford 443/1", "rrc-443.1"),  # Caesar, elephant
        ("Cr. 494/23", "rrc-494.23"),
        ("RRC 508/3", "rrc-508.3"),  # Brutus, EID MAR
        ("Craw. 335/1c", "rrc-335.1c"),
    ],
)
def test_crro_from_crawford(citation: str, external_id: str) -> None:
    target = crro_target(parse_citation(citation))
    assert target == ExternalLinkTarget(
        "crro", external_id, f"http://numismatics.org/crro/id/{external_id}"
    )


@pytest.mark.parametrize("citation", ["Crawford 443", "RIC I² 207", "Sydenham 1006"])
def test_crro_needs_a_crawford_denomination(citation: str) -> None:
    assert crro_target(parse_citation(citation)) is None


@pytest.mark.parametrize(
    ("citation", "external_id"),
    [
        ("RPC I 4567", "1/4567"),
        ("RPC II 1234", "2/1234"),
        ("RPC I 2317A", "1/2317A"),
        # RPC IV numbers its online types across the volume: the part is not in the address.
        ("RPC Online IV.3 6897", "4/6897"),
    ],
)
def test_rpc_online_from_volume_and_number(citation: str, external_id: str) -> None:
    target = rpc_online_target(parse_citation(citation))
    assert target == ExternalLinkTarget(
        "rpc_online", external_id, f"https://rpc.ashmus.ox.ac.uk/coins/{external_id}"
    )


@pytest.mark.parametrize("citation", ["RPC 4567", "RPC VII.1 123", "RIC I² 207"])
def test_rpc_online_none_when_not_deterministic(citation: str) -> None:
    assert rpc_online_target(parse_citation(citation)) is None


@pytest.mark.parametrize(
    ("citation", "authority", "external_id"),
    [
        ("RIC I² 207", "Augustus", "ric.1(2).aug.207"),
        ("RIC I(2) 26", "Tiberius", "ric.1(2).tib.26"),
        ("RIC I² 7", "Caligula", "ric.1(2).gai.7"),
        ("RIC I² 306", "Nero", "ric.1(2).ner.306"),
        ("RIC I² 306", "Galba", "ric.1(2).gal.306"),
        ("RIC II.1² 772", "Vespasian", "ric.2_1(2).ves.772"),
        ("RIC II² 388", "Titus", "ric.2_1(2).tit.388"),
        ("RIC II 126", "Nerva", "ric.2.ner.126"),
        ("RIC II 234", "Trajan", "ric.2.tr.234"),
        ("RIC II 39b", "Hadrian", "ric.2.hdn.39b"),
        ("RIC II.3 1648", "Hadrian", "ric.2_3(2).hdn.1648"),
        ("RIC II² 1648", "Hadrianus", "ric.2_3(2).hdn.1648"),
        ("RIC III 42", "Antoninus Pius", "ric.3.ant.42"),
        ("RIC III 203", "Marcus Aurelius", "ric.3.m_aur.203"),
        ("RIC III 43", "Commodus", "ric.3.com.43"),
        ("RIC IV.1 119A", "Septimius Severus", "ric.4.ss.119A"),
        ("RIC IV 238A", "Caracalla", "ric.4.crl.238A"),
        ("RIC IV.2 26d", "Severus Alexander", "ric.4.sa.26d"),
        ("RIC IV 99", "Macrinus", "ric.4.mcs.99"),
        ("RIC IV.3 27A", "Philip the Arab", "ric.4.ph_i.27A"),
        ("RIC IV 266", "Gordian III", "ric.4.gor_iii.266"),
        ("RIC IV 147", "Trajan Decius", "ric.4.tr_d.147"),
        ("RIC V 94A.5", "Valerian", "ric.5.val_i.94A.5"),
        ("RIC V 264", "Gallienus (sole reign)", "ric.5.gall(2).264"),
        ("RIC V.2 75", "Postumus", "ric.5.post.75"),
        ("RIC V 306", "Aurelian", "ric.5.aur.306"),
        ("RIC V 306", "Probus", "ric.5.pro.306"),
        ("RIC V 306", "Diocletian", "ric.5.dio.306"),
        # RIC VI–IX are keyed by mint: the authority does not matter.
        ("RIC VI Rome 327b", None, "ric.6.rom.327b"),
        ("RIC VII Siscia 213", "Constantine I", "ric.7.sis.213"),
        ("RIC VII Nicomedia 9", None, "ric.7.nic.9"),
        ("RIC VII Treveri 237", None, "ric.7.tri.237"),
        ("RIC IX Thessalonica 27B.iii", None, "ric.9.thes.27B.iii"),
    ],
)
def test_ocre_ids(citation: str, authority: str | None, external_id: str) -> None:
    target = ocre_target(parse_citation(citation), authority)
    assert target == ExternalLinkTarget(
        "ocre", external_id, f"http://numismatics.org/ocre/id/{external_id}"
    )


@pytest.mark.parametrize(
    ("citation", "authority"),
    [
        ("RIC I 207", "Augustus"),  # 1923 or 1984 numbering: unsaid
        ("RIC 207", "Augustus"),  # no volume
        ("RIC I² 207", None),  # RIC I–V need the emperor
        ("RIC I² 207", "Zeno"),  # not in RIC I
        ("RIC II 772", "Vespasian"),  # 1926 numbering; OCRE holds II.1²
        ("RIC IV.2 119A", "Septimius Severus"),  # Severus is in IV.1
        ("RIC V 264", "Gallienus"),  # joint or sole reign: unsaid
        ("RIC III² 42", "Antoninus Pius"),  # no such edition
        ("RIC VII 123", None),  # mint-keyed volume without a mint
        ("RIC VI Arles 1", None),  # Arles opened after RIC VI's period
        ("RIC X 1287", "Honorius"),  # OCRE keys RIC X by emperor and East/West
        ("Crawford 443/1", "Julius Caesar"),
    ],
)
def test_ocre_none_when_not_deterministic(citation: str, authority: str | None) -> None:
    assert ocre_target(parse_citation(citation), authority) is None


def test_nomisma_is_never_built() -> None:
    for citation in ("RIC I² 207", "Crawford 443/1", "RPC I 4567"):
        assert nomisma_target(parse_citation(citation)) is None


def test_external_targets_collects_every_deterministic_link() -> None:
    assert [t.catalog_source for t in external_targets(parse_citation("Crawford 443/1"))] == [
        "crro"
    ]
    ocre = external_targets(parse_citation("RIC I² 207"), "Augustus")
    assert [t.external_id for t in ocre] == ["ric.1(2).aug.207"]
    assert external_targets(parse_citation("SNG Cop 123")) == []


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("Caligula", "Gaius"),
        ("Philip I the Arab", "Philip I"),
        ("maximinus thrax", "Maximinus I"),
        ("Claudius II Gothicus", "Claudius II"),
        ("Claudius", "Claudius"),
        ("Heliogabalus", "Elagabalus"),
        ("Marcus Aurelius", "Marcus Aurelius"),
        ("Constantine I", None),
    ],
)
def test_canonical_authority(name: str, canonical: str | None) -> None:
    assert canonical_authority(name) == canonical


def test_target_is_frozen() -> None:
    target = ExternalLinkTarget("crro", "rrc-443.1", "http://numismatics.org/crro/id/rrc-443.1")
    with pytest.raises(dataclasses.FrozenInstanceError):
        target.external_id = "rrc-443.2"  # type: ignore[misc]

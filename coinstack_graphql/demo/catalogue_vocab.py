"""Controlled vocabulary of the demo catalogue: issuers, denominations, dynasties, mints.

Nomisma ids are given only where the id is well established; otherwise None.
"""

from __future__ import annotations

from .catalogue_mints import MINTS
from .catalogue_types import VocabTermData


def _dyn(name: str, description: str) -> VocabTermData:
    return VocabTermData(
        vocabulary="dynasty", canonical_name=name, nomisma_id=None, description=description
    )


def _den(name: str, nomisma: str | None, description: str) -> VocabTermData:
    return VocabTermData(
        vocabulary="denomination", canonical_name=name, nomisma_id=nomisma, description=description
    )


def _iss(
    name: str, nomisma: str | None, description: str, dynasty: str | None = None
) -> VocabTermData:
    return VocabTermData(
        vocabulary="issuer",
        canonical_name=name,
        nomisma_id=nomisma,
        description=description,
        parent=dynasty,
    )


DYNASTY_TERMS: tuple[VocabTermData, ...] = (
    _dyn("Argead", "Royal house of Macedon to 310 BC (Philip II, Alexander III)"),
    _dyn("Antipatrid", "Kassander and his sons, rulers of Macedon 305-294 BC"),
    _dyn("Antigonid", "Antigonos I Monophthalmos and his descendants"),
    _dyn("Ptolemaic", "Macedonian kings of Egypt, 305-30 BC"),
    _dyn("Seleukid", "Macedonian kings of Syria and the East, 312-63 BC"),
    _dyn("Mithradatic", "Kings of Pontus, ending with Mithradates VI Eupator"),
    _dyn("Julio-Claudian", "Augustus to Nero, 27 BC-AD 68"),
    _dyn("Flavian", "Vespasian, Titus and Domitian, AD 69-96"),
    _dyn("Nerva-Antonine", "Nerva to Commodus, AD 96-192"),
    _dyn("Severan", "Septimius Severus to Severus Alexander, AD 193-235"),
    _dyn("Gordian", "The Gordians, AD 238-244"),
    _dyn("Valerianic", "Valerian I and Gallienus, AD 253-268"),
    _dyn("Illyrian", "Soldier emperors from Illyricum, Claudius II to Probus, AD 268-282"),
    _dyn("Tetrarchy", "Diocletian's college of four emperors, AD 293-313"),
    _dyn("Constantinian", "Constantius I, Constantine I and their descendants, AD 293-363"),
    _dyn("Theodosian", "Theodosius I and his descendants, AD 379-457"),
    _dyn("Leonid", "Leo I to Anastasius I, AD 457-518"),
    _dyn("Justinian", "Justin I to Justin II and their successors, AD 518-602"),
    _dyn("Heraclian", "Heraclius to Justinian II, AD 610-711"),
    _dyn("Macedonian", "Basil I to Theodora, AD 867-1056"),
    _dyn("Komnenian", "Alexius I Komnenos to Andronikos I, AD 1081-1185"),
    _dyn("Angelid", "Isaac II, Alexius III and Alexius IV Angelos, AD 1185-1204"),
)

DENOMINATION_TERMS: tuple[VocabTermData, ...] = (
    _den("aureus", "aureus", "Roman gold coin worth 25 denarii"),
    _den("denarius", "denarius", "Principal Roman silver coin from c. 211 BC"),
    _den("quinarius", "quinarius", "Roman silver half denarius"),
    _den("victoriatus", "victoriatus", "Roman silver coin of three-quarters of a denarius"),
    _den("didrachm", "didrachm", "Two-drachm silver coin; also the Roman quadrigatus"),
    _den("antoninianus", "antoninianus", "Radiate double denarius introduced in AD 215"),
    _den("sestertius", "sestertius", "Large Roman orichalcum coin worth four asses"),
    _den("dupondius", "dupondius", "Roman orichalcum coin worth two asses"),
    _den("as", "as", "Roman copper coin, a quarter of a sestertius"),
    _den("follis", None, "Large bronze coin of the Tetrarchic and Byzantine coinage"),
    _den("nummus", "nummus", "Small late Roman and Byzantine bronze unit"),
    _den("siliqua", "siliqua", "Late Roman silver coin"),
    _den("solidus", "solidus", "Late Roman and Byzantine gold coin of 1/72 Roman pound"),
    _den("histamenon", None, "Full-weight Byzantine gold coin of the 10th-11th centuries"),
    _den("hyperpyron", None, "Byzantine gold coin of Alexius I's reform of 1092"),
    _den("aspron trachy", None, "Scyphate Byzantine electrum coin"),
    _den("billon trachy", None, "Scyphate Byzantine billon coin"),
    _den("tetradrachm", "tetradrachm", "Greek four-drachm silver coin"),
    _den("drachm", "drachm", "Basic Greek silver denomination"),
    _den("stater", "stater", "Principal Greek silver or gold unit of a local standard"),
    _den("obol", "obol", "Greek silver coin of one sixth of a drachm"),
    _den("cistophorus", None, "Silver tetradrachm of the province of Asia"),
    _den("prutah", None, "Small Judaean bronze coin"),
    _den("AE", None, "Provincial bronze of uncertain denomination, described by diameter"),
)

ISSUER_TERMS: tuple[VocabTermData, ...] = (
    # Roman Republic: anonymous issues, moneyers and imperatorial commanders.
    _iss("Anonymous", None, "Anonymous Roman Republican issues"),
    _iss("M. Furius L.f. Philus", None, "Moneyer, 119 BC"),
    _iss("M. Sergius Silus", None, "Moneyer, 116-115 BC"),
    _iss("D. Junius L.f. Silanus", None, "Moneyer, 91 BC"),
    _iss("L. Calpurnius Piso Frugi", None, "Moneyer, 90 BC"),
    _iss("C. Vibius C.f. Pansa", None, "Moneyer, 90 BC"),
    _iss("L. Titurius L.f. Sabinus", None, "Moneyer, 89 BC"),
    _iss("C. Marcius Censorinus", None, "Moneyer, 88 BC"),
    _iss("L. Julius Bursio", None, "Moneyer, 85 BC"),
    _iss("C. Licinius L.f. Macer", None, "Moneyer, 84 BC"),
    _iss("Sulla", None, "L. Cornelius Sulla Felix, dictator, died 78 BC"),
    _iss("Q. Antonius Balbus", None, "Praetor and moneyer, 83-82 BC"),
    _iss("C. Annius T.f. T.n.", None, "Proconsul in Spain against Sertorius, 82-81 BC"),
    _iss("C. Naevius Balbus", None, "Moneyer, 79 BC"),
    _iss("Ti. Claudius Ti.f. Ap.n. Nero", None, "Moneyer, 79 BC"),
    _iss("M. Volteius M.f.", None, "Moneyer, 78 BC"),
    _iss("C. Postumius", None, "Moneyer, 74 BC"),
    _iss("Mn. Aquillius Mn.f. Mn.n.", None, "Moneyer, 71 BC"),
    _iss("L. Roscius Fabatus", None, "Moneyer, 64 BC"),
    _iss("L. Cassius Longinus", None, "Moneyer, 63 BC"),
    _iss("Paullus Aemilius Lepidus", None, "Moneyer, 62 BC; consul 50 BC"),
    _iss("L. Scribonius Libo", None, "Moneyer, 62 BC"),
    _iss("M. Aemilius Scaurus", None, "Curule aedile, 58 BC"),
    _iss("Q. Pompeius Rufus", None, "Moneyer, 54 BC; grandson of Sulla"),
    _iss("L. Marcius Philippus", None, "Moneyer, 56 BC"),
    _iss("Faustus Cornelius Sulla", None, "Moneyer, 56 BC; son of the dictator"),
    _iss("Q. Cassius Longinus", None, "Moneyer, 55 BC"),
    _iss("M. Junius Brutus", None, "Moneyer 54 BC; tyrannicide, imperator 43-42 BC"),
    _iss("Mn. Acilius Glabrio", None, "Moneyer, 49 BC"),
    _iss(
        "L. Cornelius Lentulus and C. Claudius Marcellus",
        None,
        "Pompeian consuls of 49 BC",
    ),
    _iss("Julius Caesar", None, "C. Julius Caesar, dictator, assassinated 44 BC"),
    _iss("L. Hostilius Saserna", None, "Moneyer, 48 BC"),
    _iss("C. Vibius C.f. C.n. Pansa Caetronianus", None, "Moneyer 48 BC; consul 43 BC"),
    _iss("T. Carisius", None, "Moneyer, 46 BC"),
    _iss("Sextus Pompey", None, "Son of Pompey the Great, commander in Sicily, 42-36 BC"),
    _iss("Mark Antony", None, "Triumvir, 43-30 BC"),
    # Roman emperors and empresses.
    _iss("Augustus", "augustus", "27 BC-AD 14", "Julio-Claudian"),
    _iss("Tiberius", "tiberius", "AD 14-37", "Julio-Claudian"),
    _iss("Caligula", "caligula", "AD 37-41", "Julio-Claudian"),
    _iss("Claudius", "claudius", "AD 41-54", "Julio-Claudian"),
    _iss("Nero", "nero", "AD 54-68", "Julio-Claudian"),
    _iss("Galba", "galba", "AD 68-69"),
    _iss("Vespasian", "vespasian", "AD 69-79", "Flavian"),
    _iss("Titus", "titus", "AD 79-81", "Flavian"),
    _iss("Domitian", "domitian", "AD 81-96", "Flavian"),
    _iss("Nerva", "nerva", "AD 96-98", "Nerva-Antonine"),
    _iss("Trajan", "trajan", "AD 98-117", "Nerva-Antonine"),
    _iss("Hadrian", "hadrian", "AD 117-138", "Nerva-Antonine"),
    _iss("Antoninus Pius", "antoninus_pius", "AD 138-161", "Nerva-Antonine"),
    _iss("Marcus Aurelius", "marcus_aurelius", "AD 161-180", "Nerva-Antonine"),
    _iss("Lucius Verus", "lucius_verus", "AD 161-169", "Nerva-Antonine"),
    _iss("Septimius Severus", "septimius_severus", "AD 193-211", "Severan"),
    _iss("Julia Domna", "julia_domna", "Empress, wife of Septimius Severus", "Severan"),
    _iss("Caracalla", "caracalla", "AD 198-217", "Severan"),
    _iss("Julia Maesa", "julia_maesa", "Grandmother of Elagabalus, died c. 224", "Severan"),
    _iss("Julia Soaemias", "julia_soaemias", "Mother of Elagabalus, died 222", "Severan"),
    _iss("Julia Mamaea", "julia_mamaea", "Mother of Severus Alexander, died 235", "Severan"),
    _iss("Gordian III", "gordian_iii", "AD 238-244", "Gordian"),
    _iss("Philip II", None, "Caesar 244, Augustus AD 247-249"),
    _iss("Otacilia Severa", "otacilia_severa", "Empress, wife of Philip I"),
    _iss("Trajan Decius", "trajan_decius", "AD 249-251"),
    _iss("Trebonianus Gallus", "trebonianus_gallus", "AD 251-253"),
    _iss("Gallienus", "gallienus", "AD 253-268", "Valerianic"),
    _iss("Postumus", "postumus", "Gallic emperor, AD 260-269"),
    _iss("Claudius II", None, "Claudius II Gothicus, AD 268-270", "Illyrian"),
    _iss("Aurelian", "aurelian", "AD 270-275", "Illyrian"),
    _iss("Probus", "probus", "AD 276-282", "Illyrian"),
    _iss("Carausius", "carausius", "Usurper in Britain and northern Gaul, AD 286-293"),
    _iss("Diocletian", "diocletian", "AD 284-305", "Tetrarchy"),
    _iss("Constantine I", "constantine_i", "AD 306-337", "Constantinian"),
    _iss("Crispus", "crispus", "Caesar AD 317-326", "Constantinian"),
    _iss("Helena", None, "Mother of Constantine I, Augusta 324-c. 329", "Constantinian"),
    _iss("Licinius I", "licinius_i", "AD 308-324"),
    _iss("Pontius Pilate", None, "Prefect of Judaea, AD 26-36"),
    # Greek cities and kings.
    _iss("Athens", None, "City of Athens, Attica"),
    _iss("Aegina", None, "Island city of Aegina"),
    _iss("Corinth", None, "City of Corinth"),
    _iss("Tarentum", None, "Taras, Spartan colony in Calabria"),
    _iss("Velia", None, "Elea/Velia, Phocaean colony in Lucania"),
    _iss("Thasos", None, "Island city of Thasos"),
    _iss("Rhodes", None, "Island city of Rhodes"),
    _iss("Larissa", None, "City of Larissa, Thessaly"),
    _iss("Akragas", None, "Akragas (Agrigentum), Sicily"),
    _iss("Philip II of Macedon", "philip_ii", "King of Macedon, 359-336 BC", "Argead"),
    _iss("Alexander III", "alexander_iii", "King of Macedon, 336-323 BC", "Argead"),
    _iss("Kassander", None, "Regent and king of Macedon, 317-297 BC", "Antipatrid"),
    _iss("Antigonos I Monophthalmos", None, "King in Asia, 306-301 BC", "Antigonid"),
    _iss("Lysimachos", "lysimachus", "King of Thrace, 305-281 BC"),
    _iss("Agathokles", None, "Tyrant and king of Syracuse, 317-289 BC"),
    _iss("Ptolemy I", "ptolemy_i", "Satrap 323-305 BC, king of Egypt 305-282 BC", "Ptolemaic"),
    _iss("Ptolemy VIII", None, "King of Egypt, 145-116 BC", "Ptolemaic"),
    _iss("Antiochos I", "antiochus_i", "Seleukid king, 281-261 BC", "Seleukid"),
    _iss("Mithradates VI", None, "King of Pontus, 120-63 BC", "Mithradatic"),
    # Byzantine emperors.
    _iss("Anastasius I", None, "AD 491-518", "Leonid"),
    _iss("Justinian I", None, "AD 527-565", "Justinian"),
    _iss("Justin II", None, "AD 565-578", "Justinian"),
    _iss("Maurice Tiberius", None, "AD 582-602", "Justinian"),
    _iss("Phocas", None, "AD 602-610"),
    _iss("Heraclius", None, "AD 610-641", "Heraclian"),
    _iss("Constans II", None, "AD 641-668", "Heraclian"),
    _iss("Constantine IV", None, "AD 668-685", "Heraclian"),
    _iss("Justinian II", None, "AD 685-695 and 705-711", "Heraclian"),
    _iss("Leo VI", None, "Leo the Wise, AD 886-912", "Macedonian"),
    _iss("Basil II", None, "AD 976-1025", "Macedonian"),
    _iss(
        "Anonymous (attributed to Basil II and Constantine VIII)",
        None,
        "Anonymous folles of class A2, c. 976-1030",
        "Macedonian",
    ),
    _iss(
        "Anonymous (attributed to Michael IV)",
        None,
        "Anonymous folles of class B, c. 1030/5-1042",
        "Macedonian",
    ),
    _iss("Alexius I Komnenos", None, "AD 1081-1118", "Komnenian"),
    _iss("Manuel I Komnenos", None, "AD 1143-1180", "Komnenian"),
    _iss("Alexius III Angelos", None, "AD 1195-1203", "Angelid"),
    # Wanted but not yet held (wishlist issuers).
    _iss("Otho", "otho", "AD 69", None),
    _iss("Vitellius", "vitellius", "AD 69", None),
    _iss("Plautilla", "plautilla", "Empress, wife of Caracalla", "Severan"),
)

MINT_TERMS: tuple[VocabTermData, ...] = tuple(
    VocabTermData(
        vocabulary="mint",
        canonical_name=m.name,
        nomisma_id=m.nomisma_id,
        description=f"{m.province}; modern {m.modern_location}",
    )
    for m in MINTS
)

VOCAB_TERMS: tuple[VocabTermData, ...] = (
    DYNASTY_TERMS + DENOMINATION_TERMS + ISSUER_TERMS + MINT_TERMS
)

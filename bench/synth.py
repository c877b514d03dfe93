"""A deterministic synthetic corpus of clinical notes about vertebral augmentation, with known truth.

``make_corpus(n, seed)`` returns ``n`` documents (radiology reports, procedure notes, clinic and
discharge notes, patients' messages, templated check-lists, and notes that have nothing to do with
vertebral augmentation), each with the set of ``(leak location, status)`` pairs it states, status
one of ``present``, ``absent``, ``possible``. Sizes follow a clipped log-normal between 0.5 and 8 KB
(median about 1.8 KB), the range of real reports. Nothing is read from disk and nothing is written:
the same ``seed`` gives the same corpus, byte for byte, on any machine.

How truth is kept honest: a leak is stated only by the dedicated leak sentences below, one status per
location per document, and every other sentence ("filler") is written so that it names no leak: no
sentence of filler holds both a cement word and a leak-location word. A few realistic sentences that
*look* like leaks but are not (a risk named in a consent, "disc extrusion" on a lumbar MRI,
"no pulmonary embolism" on a CT pulmonary angiogram, a CSF leak treated with an epidural blood patch,
cement filling "from endplate to endplate") carry no truth; they are the traps of real note streams
and are kept rare (about 1 document in 25 for each).
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass

Pair = tuple[str, str]  # (location, status)

ALL_LEVELS = [*(f"T{i}" for i in range(1, 13)), *(f"L{i}" for i in range(1, 6)), "S1"]
LEVELS = ["T6", "T7", "T8", "T9", "T10", "T11", "T12", "L1", "L2", "L3", "L4", "L5"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

# Noun phrases and adjectives naming each leak location ("{lvl}" and "{disc}" are filled in).
NOUNS: dict[str, list[str]] = {
    "epidural": [
        "the epidural space",
        "the anterior epidural space",
        "the ventral epidural space",
        "the spinal canal",
        "the vertebral canal",
    ],
    "intradural": ["the thecal sac", "the intradural space", "the subarachnoid space"],
    "foraminal": [
        "the left {lvl} neural foramen",
        "the right {lvl} neural foramen",
        "the neural foramen",
        "the intervertebral foramen",
    ],
    "intradiscal": [
        "the {disc} disc space",
        "the adjacent disc",
        "the intervertebral disc",
        "the {disc} disc",
    ],
    "paravertebral": [
        "the paravertebral soft tissues",
        "the left paraspinal soft tissues",
        "the prevertebral soft tissue",
        "the right psoas",
    ],
    "venous": [
        "the segmental veins",
        "the basivertebral vein",
        "the paravertebral venous plexus",
        "the inferior vena cava",
        "the azygos vein",
    ],
    "pulmonary": [
        "the pulmonary arteries",
        "a right lower lobe pulmonary artery",
        "both lungs",
        "the segmental pulmonary arteries",
    ],
    "cardiac": ["the right ventricle", "the right atrium"],
}
ADJECTIVES: dict[str, list[str]] = {
    "epidural": ["epidural", "extradural"],
    "intradural": ["intradural", "intrathecal"],
    "foraminal": ["foraminal", "neuroforaminal"],
    "intradiscal": ["intradiscal", "disc"],
    "paravertebral": ["paravertebral", "paraspinal"],
    "venous": ["venous"],
    "pulmonary": ["pulmonary"],
    "cardiac": ["intracardiac", "cardiac"],
}
LAY: dict[str, list[str]] = {
    "epidural": ["my spinal canal", "the canal around my spinal cord"],
    "venous": ["a vein near my spine", "the veins next to the bone"],
    "intradiscal": ["the disc above", "the disc below the treated bone"],
    "pulmonary": ["my lungs", "the arteries of my lung"],
    "foraminal": ["the hole where the nerve comes out (the foramen)"],
}
# How often each location is chosen for a leak sentence (roughly as in published series:
# venous, disc and paravertebral are common, the canal less so, heart and dura rare).
WEIGHTS = {
    "venous": 22,
    "intradiscal": 22,
    "paravertebral": 16,
    "epidural": 14,
    "foraminal": 9,
    "pulmonary": 9,
    "intradural": 4,
    "cardiac": 4,
}
PLURALS = {"tissues", "veins", "arteries", "lungs"}
SIZES = ["small", "tiny", "minor", "moderate", "thin", "linear"]

PRESENT_NOUN = [
    "There is a {size} amount of cement leakage into {np} at {lvl}.",
    "Cement extravasation into {np} is noted at the {lvl} level.",
    "A {size} focus of leaked cement is seen in {np}.",
    "Linear PMMA density extends into {np}.",
    "Cement has leaked into {np} at {lvl}.",
    "Some cement has tracked into {np}.",
    "Post-procedure CT shows cement within {np} at {lvl}.",
]
PRESENT_ADJ = [
    "{Adj} cement leak at {lvl}.",
    "There is a {size} {adj} cement leak.",
    "{Size} {adj} leakage of cement is present at {lvl}.",
]
ABSENT_NOUN = [
    "No evidence of cement leakage into {np}.",
    "No cement is seen in {np}.",
    "There is no extension of cement into {np}.",
    "{Np} {be} free of cement.",
    "Good filling of the {lvl} vertebral body without cement leakage into {np}.",
    "Cement did not extend into {np}.",
]
ABSENT_ADJ = [
    "No {adj} cement leakage.",
    "{Adj} cement: none",  # a check-list line: no full stop
    "{Adj} cement leakage: not seen",
    "{Adj} leak: no",
]
POSSIBLE_NOUN = [
    "Possible cement leakage into {np}.",
    "Questionable small focus of cement in {np}.",
    "Cement extension into {np} cannot be excluded.",
    "Findings are suspicious for cement leakage into {np}.",
    "A tiny hyperdensity in {np} may represent leaked cement.",
]
POSSIBLE_ADJ = [
    "Probable {size} {adj} cement leak at {lvl}.",
    "Possible {adj} cement leakage.",
]
TEMPLATES = {
    "present": (PRESENT_NOUN, PRESENT_ADJ),
    "absent": (ABSENT_NOUN, ABSENT_ADJ),
    "possible": (POSSIBLE_NOUN, POSSIBLE_ADJ),
}


@dataclass(frozen=True)
class SynthDoc:
    doc_id: str
    kind: str
    text: str
    truth: frozenset[Pair]
    lines: tuple[str, ...]  # the sentences that state the truth


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


class _Writer:
    def __init__(self, rng: random.Random) -> None:
        self.r = rng
        self.said: list[str] = []  # leak statements made in the current document

    # --- small pieces -----------------------------------------------------------------------
    def pick(self, items: list[str]) -> str:
        return items[self.r.randrange(len(items))]

    def level(self) -> str:
        return self.pick(LEVELS[3:10])  # T9..L3: where most augmentations are

    def disc(self, lvl: str) -> str:
        i = LEVELS.index(lvl)
        return f"{lvl}-{LEVELS[i + 1]}" if i + 1 < len(LEVELS) else f"{LEVELS[i - 1]}-{lvl}"

    def date(self) -> str:
        day, month, year = self.r.randint(1, 28), self.r.randint(1, 12), self.r.randint(2019, 2025)
        if self.r.random() < 0.5:
            return f"{day} {MONTHS[month - 1]} {year}"
        return f"{day:02d}/{month:02d}/{year}"

    def patient(self) -> tuple[int, str, str, str]:
        age = self.r.randint(52, 91)
        sex = self.pick(["woman", "man", "female", "male"])
        pronoun = "she" if sex in ("woman", "female") else "he"
        possessive = "her" if pronoun == "she" else "his"
        return age, sex, pronoun, possessive

    def procedure(self) -> str:
        return self.pick(
            ["vertebroplasty", "percutaneous vertebroplasty", "kyphoplasty", "balloon kyphoplasty"]
        )

    def locations(self, k: int) -> list[str]:
        pool = dict(WEIGHTS)
        out: list[str] = []
        for _ in range(k):
            names = list(pool)
            choice = self.r.choices(names, weights=[pool[n] for n in names])[0]
            out.append(choice)
            del pool[choice]
        return out

    def status(self) -> str:
        return self.r.choices(["present", "absent", "possible"], weights=[50, 35, 15])[0]

    def fill(self, template: str, loc: str, lvl: str) -> str:
        np = self.pick(NOUNS[loc]).format(lvl=lvl, disc=self.disc(lvl))
        adj = self.pick(ADJECTIVES[loc])
        size = self.pick(SIZES)
        plural = np.split()[-1] in PLURALS
        return template.format(
            np=np,
            Np=_cap(np),
            adj=adj,
            Adj=_cap(adj),
            size=size,
            Size=_cap(size),
            lvl=lvl,
            be="are" if plural else "is",
        )

    def leak_sentence(self, loc: str, status: str, lvl: str) -> str:
        if loc == "epidural" and status == "present" and self.r.random() < 0.25:
            # the dura is pushed on, not breached: still an epidural leak only
            return self.fill("Cement extends into {np} at {lvl}, indenting the thecal sac.", loc, lvl)
        nouns, adjectives = TEMPLATES[status]
        template = self.pick(nouns) if self.r.random() < 0.65 else self.pick(adjectives)
        return self.fill(template, loc, lvl)

    def np(self, loc: str, lvl: str) -> str:
        return self.pick(NOUNS[loc]).format(lvl=lvl, disc=self.disc(lvl))

    def leak_block(self, leaks: list[Pair], lvl: str) -> list[str]:
        """Sentences stating ``leaks`` (each once), sometimes two locations in one sentence."""
        out: list[str] = []
        todo = list(leaks)
        while todo:
            (a_loc, a_st), rest = todo[0], todo[1:]
            partner = next((p for p in rest if self.r.random() < 0.35), None)
            if partner is not None:
                b_loc, b_st = partner
                pa, pb = self.np(a_loc, lvl), self.np(b_loc, lvl)
                if a_st == b_st == "present":
                    out.append(f"Cement leakage into {pa} and {pb}.")
                    todo = [p for p in rest if p != partner]
                    continue
                if a_st == b_st == "absent":
                    out.append(f"No cement leakage into {pa} or {pb}.")
                    todo = [p for p in rest if p != partner]
                    continue
                if a_st == "present" and b_st == "absent":
                    if self.r.random() < 0.5:
                        out.append(f"Cement leakage into {pa}, but no cement in {pb}.")
                    else:
                        out.append(f"Small cement leak into {pa}; no {self.pick(ADJECTIVES[b_loc])} cement.")
                    todo = [p for p in rest if p != partner]
                    continue
            out.append(self.leak_sentence(a_loc, a_st, lvl))
            todo = rest
        self.said += out
        return out

    def leaks(self, lo: int, hi: int, none_p: float) -> list[Pair]:
        if self.r.random() < none_p:
            return []
        return [(loc, self.status()) for loc in self.locations(self.r.randint(lo, hi))]

    # --- neutral sentences (no leak is named) -----------------------------------------------
    def stream(self, makers: list[list[str]], endless: list[object]) -> Iterator[str]:
        """Neutral sentences without repeats: the pools shuffled, then the endless makers in turn."""
        pool = [s for group in makers for s in group]
        self.r.shuffle(pool)
        yield from pool
        while True:
            for make in endless:
                assert callable(make)
                yield make()

    def spine_pool(self, lvl: str) -> list[str]:
        r, pick = self.r, self.pick
        other = pick([x for x in LEVELS if x != lvl])
        return [
            f"There is {pick(['mild', 'moderate', 'about 30%', 'about 40%'])} loss of height of the {lvl} "
            "vertebral body, unchanged from the prior study.",
            "Alignment of the thoracolumbar spine is maintained.",
            f"Old healed compression deformity of {other} with no change.",
            "Diffuse osteopenia is noted.",
            f"Mild multilevel degenerative change, most marked at {pick(['L3-L4', 'L4-L5', 'L5-S1'])}.",
            "The conus medullaris terminates at the L1 level and has a normal appearance.",
            "Atherosclerotic calcification of the abdominal aorta is noted.",
            f"Facet joint arthropathy at {pick(['L4-L5', 'L5-S1'])}.",
            "No new compression fracture is identified.",
            f"The posterior elements of {lvl} are intact.",
            "Bone marrow signal elsewhere is within normal limits.",
            "The sacroiliac joints are unremarkable.",
            f"Schmorl node at the inferior endplate of {other}, unchanged.",
            f"Mild retrolisthesis of L{r.randint(2, 4)} on the level below.",
            "The pedicles and pars interarticularis are intact.",
            "Vertebral body heights elsewhere are maintained.",
            "No aggressive osseous lesion is seen.",
            f"Grade 1 anterolisthesis of L4 on L5 measuring {r.randint(3, 8)} mm.",
            "There is a mild thoracic kyphosis.",
            f"A {r.randint(5, 15)} mm haemangioma is present in {other} and is incidental.",
        ]

    def body_pool(self) -> list[str]:
        r, pick = self.r, self.pick
        return [
            "The visualised lung bases are clear.",
            "The kidneys are unremarkable within the field of view.",
            "Small hiatus hernia incidentally noted.",
            f"A simple cyst of {r.randint(8, 30)} mm is seen in the {pick(['left', 'right'])} kidney.",
            "The liver is of normal size and attenuation.",
            "The gallbladder contains several small calculi without wall thickening.",
            "The pancreas and spleen are unremarkable.",
            "The adrenal glands are normal.",
            "No retroperitoneal lymphadenopathy.",
            "The urinary bladder is only partially distended.",
            "Colonic diverticulosis without inflammatory change.",
            "No free fluid in the abdomen or pelvis.",
            f"The abdominal aorta measures {r.randint(17, 26)} mm and is not aneurysmal.",
            "Bilateral small pleural effusions are not present.",
            "The thyroid gland is unremarkable.",
            "Mild cardiomegaly is unchanged.",
            "Coronary artery calcification is noted.",
            f"A {r.randint(3, 6)} mm pulmonary nodule in the {pick(['right', 'left'])} upper lobe "
            "is unchanged.",
            "Dependent atelectasis at both lung bases.",
            "The stomach and small bowel are unremarkable.",
            "The prostate is enlarged.",
            "Uterine fibroids are noted.",
            "No hydronephrosis.",
            "Mild fatty infiltration of the liver.",
            "The appendix is normal.",
        ]

    def level_line(self) -> str:
        """One line of a level-by-level review (distinct by level, cycling)."""
        i = self._level_i = (getattr(self, "_level_i", -1) + 1) % (len(ALL_LEVELS) - 1)
        a, b = ALL_LEVELS[i], ALL_LEVELS[i + 1]
        return f"{a}-{b}: " + self.pick(
            [
                "no significant abnormality.",
                "mild disc bulge without canal or foraminal stenosis.",
                "mild facet arthropathy; the canal and foramina are patent.",
                "disc desiccation with mild loss of height.",
                "normal disc height and signal.",
                "small osteophytes; no nerve root compression.",
            ]
        )

    def cement_pool(self, lvl: str) -> list[str]:
        r, pick = self.r, self.pick
        return [
            f"Satisfactory cement fill of the {lvl} vertebral body.",
            f"Cement is distributed through the anterior two thirds of {lvl}.",
            "The cement mass crosses the midline.",
            f"Bipedicular cement deposits are seen within {lvl}.",
            "Cement interdigitates well with the trabecular bone.",
            f"About {r.randint(2, 7)} mL of PMMA was injected.",
            "The cement was mixed to a toothpaste consistency before injection.",
            "Cement injection was stopped as the cement reached the posterior third of the vertebral body.",
            f"The {pick(['left', 'right'])} cannula was advanced to the anterior third of the "
            "vertebral body.",
            "Lateral and AP images were saved at each stage.",
            "Needle position was confirmed on both planes before injection.",
            f"Cefazolin {pick(['1', '2'])} g was given intravenously before the procedure.",
            "The patient was positioned prone on the table with bolsters under the chest and pelvis.",
            f"Local anaesthetic ({r.randint(10, 20)} mL of 1% lidocaine) was infiltrated down to the "
            "periosteum.",
            f"Conscious sedation with {pick(['midazolam and fentanyl', 'propofol'])} was given by the "
            "anaesthetist.",
            "The skin was prepared with chlorhexidine and draped in a sterile fashion.",
            "Both trocars were removed and haemostasis was achieved with manual pressure.",
            "The puncture sites were closed with adhesive strips and a dry dressing.",
            f"Fluoroscopy time was {r.randint(2, 9)} minutes {r.randint(1, 59)} seconds.",
            f"Total dose area product was {r.randint(80, 900)} cGy.cm2.",
            "Blood loss was minimal.",
            "There were no immediate complications.",
            f"The balloon was inflated to {r.randint(120, 250)} psi with partial restoration of height."
            if r.random() < 0.5
            else "Height restoration was modest.",
            f"Estimated cement volume {r.randint(1, 4)}.{r.randint(0, 9)} mL on each side.",
            "The patient remained comfortable throughout.",
            "A WHO surgical safety checklist was completed before the start.",
        ]

    def clinic_pool(self, pronoun: str, possessive: str) -> list[str]:
        r, pick = self.r, self.pick
        p, pp = _cap(pronoun), possessive
        obj = "her" if pronoun == "she" else "him"
        return [
            f"{p} is mobilising independently with a stick.",
            f"{p} reports that {pp} back pain has improved considerably since the procedure.",
            f"{p} rates {pp} pain at {r.randint(1, 6)}/10 today.",
            "Observations are stable and within normal limits.",
            f"{p} is tolerating a normal diet.",
            f"{_cap(pp)} puncture sites are clean and dry.",
            "Reflexes are symmetrical and plantar responses are flexor.",
            "Gait is steady.",
            f"{p} lives with {pick(['a partner', 'a daughter', 'a son', 'family'])} and is independent with "
            "personal care.",
            f"{p} is a {pick(['non-smoker', 'former smoker', 'smoker of 10 cigarettes a day'])}.",
            "Alcohol intake is within recommended limits.",
            f"{_cap(pp)} bone density scan showed a T-score of -{r.randint(25, 39) / 10:.1f} at the hip.",
            f"Haemoglobin {r.randint(105, 150)} g/L, white cell count {r.randint(4, 11)}.{r.randint(0, 9)}, "
            f"platelets {r.randint(150, 400)}.",
            f"Sodium {r.randint(132, 145)} mmol/L, potassium {r.randint(35, 50) / 10:.1f} mmol/L, "
            f"creatinine {r.randint(55, 140)} umol/L.",
            f"CRP {r.randint(1, 40)} mg/L.",
            f"Adjusted calcium {r.randint(215, 260) / 100:.2f} mmol/L and vitamin D "
            f"{r.randint(20, 90)} nmol/L.",
            f"{p} was reviewed by the physiotherapist, who was happy for discharge.",
            "Sensation is intact to light touch in all dermatomes.",
            f"{p} has no new neurological symptoms.",
            f"{p} has been advised to continue {pp} calcium and vitamin D.",
            f"{p} takes alendronate 70 mg weekly and paracetamol as required.",
            f"Other medication: {pick(['amlodipine 5 mg', 'ramipril 2.5 mg', 'bisoprolol 2.5 mg'])} daily, "
            f"{pick(['atorvastatin 20 mg', 'simvastatin 40 mg'])} at night and "
            f"{pick(['metformin 500 mg', 'levothyroxine 75 micrograms', 'omeprazole 20 mg'])} daily.",
            f"The occupational therapist has arranged a raised toilet seat for {obj}.",
            f"Past medical history: {pick(['hypertension', 'type 2 diabetes', 'atrial fibrillation'])}, "
            f"{pick(['hypothyroidism', 'osteoarthritis of both knees', 'COPD'])} and cataract surgery.",
            f"Allergies: {pick(['none known', 'penicillin (rash)', 'codeine (nausea)'])}.",
            f"{p} had a fall at home {r.randint(2, 10)} weeks before the procedure.",
            "Heart sounds are normal and the chest is clear.",
            "The abdomen is soft and non-tender.",
            f"Blood pressure {r.randint(110, 165)}/{r.randint(60, 95)}, pulse {r.randint(58, 98)}, "
            f"saturation {r.randint(94, 99)}% on air.",
            f"{p} uses a {pick(['frame', 'stick', 'rollator'])} outdoors.",
            "A falls assessment has been requested.",
            f"{p} would like to return to {pick(['gardening', 'swimming', 'walking the dog', 'bowls'])}.",
            "Tenderness over the treated level has settled.",
            "Straight leg raise is negative on both sides.",
            f"{p} was given written information about the procedure.",
            f"A letter has been sent to {pp} GP.",
        ]

    def day_entry(self, pronoun: str, possessive: str) -> str:
        day = self._day = getattr(self, "_day", 0) + 1
        return self.pick(
            [
                f"Day {day}: pain score {self.r.randint(1, 7)}/10, mobilising with the physiotherapist.",
                f"Day {day}: {pronoun} slept well and observations remained stable.",
                f"Day {day}: analgesia was reduced; {pronoun} walked to the bathroom unaided.",
                f"Day {day}: bowels opened; {pronoun} is eating and drinking normally.",
                f"Day {day}: reviewed on the ward round; {possessive} plan is unchanged.",
                f"Day {day}: {pronoun} reported mild soreness at the puncture sites only.",
            ]
        )

    def chat_pool(self) -> list[str]:
        return [
            "I am also taking tablets for my bones and for blood pressure.",
            "My GP said the operation went well.",
            "I have been doing the exercises the physiotherapist showed me.",
            "The pain was so bad before that I could not get out of bed.",
            "My daughter came with me to the appointment.",
            "I was in hospital for one night.",
            "I broke my wrist two years ago as well, and they told me then that my bones were thin.",
            "The nurses were lovely and the whole thing took less than an hour.",
            "I was awake for most of it but they gave me something to relax.",
            "I can now sit through a whole film without getting up.",
            "I am 5 foot 2 and weigh about 60 kilos, if that matters.",
            "I live on my own but my neighbour checks on me every day.",
            "I have not been able to drive since the fracture.",
            "I used to walk two miles a day before all this started.",
            "I have a follow-up appointment in six weeks but it feels a long way off.",
            "I read online that these things can happen and I would like to understand it better.",
        ]

    def consent(self) -> str:
        """A risk discussion: names cement leakage as a risk, not as a finding (no truth)."""
        return self.pick(
            [
                "Risks of the procedure, including cement leakage into the spinal canal or veins, infection "
                "and bleeding, were discussed and written consent was obtained.",
                "The patient was counselled about the risk of cement leakage into the veins or the spinal "
                "canal, infection, bleeding and nerve injury, and consented.",
                "Written consent was obtained after a discussion of the risks, including cement leakage, "
                "infection, bleeding and new fracture.",
            ]
        )

    # --- document kinds ---------------------------------------------------------------------
    def radiology(self, target: int) -> tuple[str, set[Pair]]:
        lvl = self.level()
        age, sex, _, _ = self.patient()
        proc = self.procedure()
        modality = self.pick(
            [
                "CT THORACOLUMBAR SPINE",
                "CT LUMBAR SPINE",
                "RADIOGRAPH - THORACOLUMBAR SPINE",
                "MRI THORACIC AND LUMBAR SPINE",
                "CT THORAX, ABDOMEN AND PELVIS",
            ]
        )
        truth = self.leaks(1, 3, none_p=0.25)
        head = [
            modality,
            f"Date of examination: {self.date()}",
            f"Clinical information: {age}-year-old {sex}, {proc} of {lvl} for an osteoporotic "
            f"compression fracture. Post-procedure assessment.",
            f"Comparison: {self.pick(['CT', 'Radiographs', 'MRI'])} dated {self.date()}.",
            "",
            "TECHNIQUE:",
            self.pick(
                [
                    "Axial images of the thoracolumbar spine with sagittal and coronal reformats.",
                    "AP and lateral views of the thoracolumbar spine.",
                    "Sagittal T1, T2 and STIR sequences with axial T2 through the treated level.",
                ]
            ),
            "",
            "FINDINGS:",
        ]
        body = [f"Interval {proc} at {lvl}.", self.pick(self.cement_pool(lvl)[:8])]
        if self.r.random() < 0.04:  # a normal fill, not a leak
            body.append(f"Cement fills the {lvl} vertebral body from endplate to endplate.")
        if truth:
            body += self.leak_block(truth, lvl)
        else:
            body.append(
                self.pick(
                    ["No cement leakage is seen.", "No evidence of cement leakage.", "Cement leakage: none"]
                )
            )
        impression = ["", "IMPRESSION:", f"1. Satisfactory {lvl} {proc}."]
        present = [p for p in truth if p[1] == "present"]
        if present:
            impression.append(f"2. {self.fill(self.pick(PRESENT_ADJ), present[0][0], lvl)}")
        elif not truth:
            impression.append("2. No evidence of cement leakage.")
        tail = ["", f"Reported by: Dr {self.pick(['A', 'B', 'C', 'D', 'E'])}. Consultant Radiologist."]
        filler = self.stream([self.spine_pool(lvl), self.body_pool()], [self.level_line])
        return self._assemble(head, body, impression + tail, target, filler), set(truth)

    def checklist(self, target: int) -> tuple[str, set[Pair]]:
        lvl = self.level()
        truth: set[Pair] = set()
        lines = []
        for loc in self.locations(self.r.randint(3, 5)):
            adj = _cap(self.pick(ADJECTIVES[loc]))
            st = self.r.choices(["absent", "present"], weights=[75, 25])[0]
            truth.add((loc, st))
            if st == "absent":
                lines.append(f"- {adj} cement: {self.pick(['none', 'no', 'absent', 'not seen'])}")
            else:
                lines.append(f"- {adj} cement: present, {self.pick(SIZES)}")
        self.said += lines
        head = [
            "POST-AUGMENTATION CT - STRUCTURED REPORT",
            f"Examination date: {self.date()}",
            f"Treated level: {lvl} ({self.procedure()})",
            f"Cement volume: {self.r.randint(2, 8)} mL",
            "",
            "Cement distribution:",
            *lines,
            "",
            "Other findings:",
        ]
        tail = ["", "Conclusion: see structured findings above."]
        filler = self.stream([self.spine_pool(lvl), self.body_pool()], [self.level_line])
        return self._assemble(head, [next(filler)], tail, target, filler), truth

    def procedure_note(self, target: int) -> tuple[str, set[Pair]]:
        lvl = self.level()
        age, sex, pronoun, possessive = self.patient()
        proc = self.procedure()
        truth = self.leaks(1, 2, none_p=0.45)
        head = [
            f"OPERATIVE NOTE - {proc.upper()}",
            f"Date: {self.date()}",
            f"Patient: {age}-year-old {sex}",
            f"Indication: painful osteoporotic fracture of {lvl} not responding to analgesia.",
            "",
            "PROCEDURE:",
        ]
        body = [
            self.consent() if self.r.random() < 0.5 else "Written consent was obtained.",
            f"Under {self.pick(['biplanar fluoroscopy', 'fluoroscopic guidance', 'CT guidance'])}, "
            f"{self.pick(['bipedicular', 'unipedicular'])} access to {lvl} was obtained with "
            "11-gauge needles.",
        ]
        if truth:
            body += self.leak_block(truth, lvl)
        else:
            body.append("No cement leakage was seen on fluoroscopy.")
        tail = [
            "",
            "POST-PROCEDURE:",
            f"{_cap(pronoun)} was observed for four hours with neurological checks every hour.",
            f"Plan: mobilise as tolerated; review in clinic in {self.r.randint(2, 8)} weeks.",
        ]
        filler = self.stream(
            [self.cement_pool(lvl), self.clinic_pool(pronoun, possessive)],
            [lambda: self.day_entry(pronoun, possessive)],
        )
        return self._assemble(head, body, tail, target, filler), set(truth)

    def clinic(self, target: int) -> tuple[str, set[Pair]]:
        lvl = self.level()
        age, sex, pronoun, possessive = self.patient()
        proc = self.procedure()
        truth = self.leaks(1, 2, none_p=0.3)
        p = _cap(pronoun)
        kind = self.pick(["SPINE CLINIC FOLLOW-UP", "EMERGENCY DEPARTMENT NOTE", "DISCHARGE SUMMARY"])
        head = [
            kind,
            f"Date: {self.date()}",
            "",
            "History of presenting complaint:",
            f"{age}-year-old {sex} who underwent {proc} of {lvl} on {self.date()} for an osteoporotic "
            f"compression fracture.",
        ]
        deficit = self.pick(
            [
                f"{p} reports new numbness over the left anterior thigh since the procedure.",
                f"{p} describes shooting pain radiating into the right leg.",
                f"{p} has no leg pain, numbness or weakness.",
                f"{p} denies bladder or bowel dysfunction.",
                "Power is 4/5 in left hip flexion and 5/5 elsewhere.",
                f"{p} feels well and {possessive} back pain is much better.",
            ]
        )
        body = [deficit]
        if truth:
            body.append(
                self.pick(
                    [
                        "The post-procedure CT was reviewed with the radiologist.",
                        "Radiographs and CT were reviewed.",
                        f"CT on {self.date()} was reviewed.",
                    ]
                )
            )
            body += self.leak_block(truth, lvl)
        else:
            body.append(
                self.pick(
                    [
                        "Post-procedure imaging showed a satisfactory result.",
                        "No cement leakage was reported on the post-procedure CT.",
                    ]
                )
            )
        tail = [
            "",
            "Plan:",
            f"Review in {self.r.randint(2, 12)} weeks. If {pronoun} develops new leg weakness, numbness or "
            f"bladder problems, {pronoun} should return immediately.",
        ]
        endless: list[object] = [lambda: self.day_entry(pronoun, possessive)]
        filler = self.stream([self.clinic_pool(pronoun, possessive)], endless)
        return self._assemble(head, body, tail, target, filler), set(truth)

    def patient_message(self, target: int) -> tuple[str, set[Pair]]:
        lvl = self.level()
        age, _, _, _ = self.patient()
        proc = self.procedure()
        loc = self.pick(sorted(LAY))
        st = self.r.choices(["present", "absent", "possible"], weights=[55, 30, 15])[0]
        where = self.pick(LAY[loc])
        line = {
            "present": f"The doctor told me some cement leaked into {where}.",
            "absent": f"They said there was no cement in {where}.",
            "possible": f"They said some cement might have leaked into {where}.",
        }[st]
        self.said.append(line)
        head = [
            f"Question: worried after my {proc}",
            "",
            f"Hello, I am {age} and had a {proc} at {lvl} {self.r.randint(2, 20)} days ago for a fracture "
            f"after a fall.",
        ]
        body = [
            line,
            self.pick(
                [
                    "My back is much better but I get aching in my legs in the evening.",
                    "I feel fine apart from some soreness where the needles went in.",
                    "I have some tingling in my feet but I had that before the operation.",
                    "I am walking more than before and sleeping better.",
                ]
            ),
            "Should I be worried, and is there anything I should look out for?",
        ]
        tail = [
            "",
            "Reply:",
            "Thank you for your question. Please discuss your scan with the team that treated you, and seek "
            "urgent help if you notice new weakness, numbness between the legs or problems passing urine.",
        ]
        week = iter(range(1, 1000))
        filler = self.stream(
            [self.chat_pool()],
            [
                lambda: (
                    f"In week {next(week)} after the operation I "
                    + self.pick(
                        [
                            "managed a short walk every day.",
                            "needed fewer painkillers.",
                            "slept badly.",
                            "went shopping with my daughter.",
                            "felt tired but otherwise fine.",
                        ]
                    )
                )
            ],
        )
        return self._assemble(head, body, tail, target, filler), {(loc, st)}

    def unrelated(self, target: int) -> tuple[str, set[Pair]]:
        """A note that is not about vertebral augmentation at all: no truth."""
        kind = self.r.choices(
            ["chest", "knee", "hip", "lumbar_mri", "esi", "ctpa", "pdph", "gp"],
            weights=[16, 14, 14, 14, 12, 6, 4, 20],
        )[0]
        age, sex, pronoun, possessive = self.patient()
        p = _cap(pronoun)
        pools: dict[str, tuple[list[str], list[str]]] = {
            "chest": (
                [
                    "CHEST RADIOGRAPH, PA",
                    f"Date: {self.date()}",
                    f"Clinical details: cough, {age}-year-old {sex}.",
                    "",
                ],
                [
                    "The lungs are clear.",
                    "Heart size is normal.",
                    "No pleural effusion.",
                    "No pneumothorax.",
                    "The mediastinal contours are normal.",
                    "Degenerative change in the thoracic spine.",
                    "No focal consolidation.",
                    "The costophrenic angles are sharp.",
                    "Healed left rib fractures.",
                ],
            ),
            "knee": (
                [
                    "ORTHOPAEDIC CLINIC - KNEE",
                    f"Date: {self.date()}",
                    f"{age}-year-old {sex} with right knee pain.",
                    "",
                ],
                [
                    f"{p} reports pain on stairs and stiffness in the morning.",
                    "There is a small effusion.",
                    "Range of movement is 5 to 110 degrees.",
                    "Radiographs show medial joint space narrowing.",
                    "The ligaments are stable.",
                    f"{p} will try physiotherapy and analgesia.",
                    "A steroid injection was discussed.",
                    "Review in three months.",
                ],
            ),
            "hip": (
                ["HIP RADIOGRAPH - POST-OPERATIVE", f"Date: {self.date()}", f"{age}-year-old {sex}.", ""],
                [
                    "Cemented right total hip arthroplasty in satisfactory position.",
                    "No periprosthetic lucency.",
                    "The cement mantle is intact.",
                    "No dislocation.",
                    "Heterotopic ossification is not seen.",
                    "The acetabular component is well seated.",
                    "Skin staples are in place.",
                ],
            ),
            "lumbar_mri": (
                [
                    "MRI LUMBAR SPINE",
                    f"Date: {self.date()}",
                    f"Clinical details: {age}-year-old {sex}, sciatica.",
                    "",
                ],
                [
                    "At L4-L5 there is a broad-based disc bulge with mild narrowing of the left neural "
                    "foramen.",
                    "At L5-S1 a small central disc extrusion contacts the traversing S1 nerve root.",
                    "The spinal canal is of normal calibre at the other levels.",
                    "The conus is normal.",
                    "Modic type 2 endplate change at L5-S1.",
                    "Facet joint hypertrophy at L4-L5.",
                ],
            ),
            "esi": (
                [
                    "PROCEDURE NOTE - EPIDURAL STEROID INJECTION",
                    f"Date: {self.date()}",
                    f"{age}-year-old {sex}.",
                    "",
                ],
                [
                    "Under fluoroscopic guidance a needle was advanced into the L5-S1 epidural space.",
                    "Contrast spread within the epidural space without vascular uptake.",
                    "80 mg methylprednisolone with lidocaine was injected.",
                    f"{p} tolerated the procedure well.",
                    "No complications.",
                    "Discharged home after 30 minutes of observation.",
                ],
            ),
            "ctpa": (
                [
                    "CT PULMONARY ANGIOGRAM",
                    f"Date: {self.date()}",
                    f"Clinical details: {age}-year-old {sex}, dyspnoea.",
                    "",
                ],
                [
                    "No pulmonary embolism.",
                    "The main pulmonary artery is of normal calibre.",
                    "Mild dependent atelectasis.",
                    "No pleural effusion.",
                    "The heart is not enlarged.",
                    "Emphysematous changes in the upper lobes.",
                ],
            ),
            "pdph": (
                ["ANAESTHETIC REVIEW", f"Date: {self.date()}", f"{age}-year-old {sex} with headache.", ""],
                [
                    "Postural headache after a lumbar puncture, consistent with a CSF leak treated with "
                    "an epidural blood patch.",
                    f"{p} reports that the headache has settled.",
                    "Neurological examination is normal.",
                    "Advised to drink plenty of fluids.",
                ],
            ),
            "gp": (
                ["GP CONSULTATION", f"Date: {self.date()}", f"{age}-year-old {sex}.", ""],
                [
                    f"{p} attends with a sore throat for three days.",
                    "Temperature 37.8 degrees.",
                    "Tonsils are enlarged without exudate.",
                    "Advice on fluids and paracetamol given.",
                    f"Blood pressure {self.r.randint(110, 160)}/{self.r.randint(65, 95)}.",
                    f"{p} asked about {possessive} bone density results, which showed osteopenia.",
                    "Medication review completed.",
                    "Return if not improving in a week.",
                ],
            ),
        }
        head, pool = pools[kind]
        if kind in ("knee", "gp", "pdph", "esi"):
            rest = self.clinic_pool(pronoun, possessive)
            rest = [s for s in rest if "procedure" not in s and "puncture" not in s]
            filler = self.stream([pool[3:], rest], [lambda: self.pick(self.clinic_pool(pronoun, possessive))])
        else:
            filler = self.stream(
                [pool[3:], self.spine_pool(self.level()), self.body_pool()], [self.level_line]
            )
        return self._assemble(head, pool[:3], [], target, filler), set()

    # --- assembly ---------------------------------------------------------------------------
    def _assemble(
        self, head: list[str], body: list[str], tail: list[str], target: int, more: Iterator[str]
    ) -> str:
        """Head, body and tail, with neutral sentences added around the body until the size is reached.

        Neutral sentences go in paragraphs before and after the body's own lines (each of which stays a
        line of its own), never inside them."""
        before: list[str] = []
        after: list[str] = []
        size = len("\n".join(head + body + tail).encode())
        while size < target:
            sentence = next(more)
            grow = len(sentence.encode()) + 1
            if size + grow > min(target + 60, 8192):
                break
            (before if self.r.random() < 0.4 else after).append(sentence)
            size += grow
        paragraphs = _paragraphs(before, self.r) + body + _paragraphs(after, self.r)
        return "\n".join(head + paragraphs + tail).strip() + "\n"


def _paragraphs(sentences: list[str], r: random.Random) -> list[str]:
    out: list[str] = []
    while sentences:
        n = r.randint(2, 5)
        out.append(" ".join(sentences[:n]))
        sentences = sentences[n:]
    return out


KINDS = {
    "radiology": 40,
    "checklist": 8,
    "procedure": 12,
    "clinic": 15,
    "patient": 7,
    "unrelated": 18,
}


def target_size(r: random.Random) -> int:
    """Bytes: log-normal, median 1.8 KB, clipped to 0.5-8 KB."""
    return int(min(8192, max(512, math.exp(r.gauss(math.log(1800), 0.7)))))


def make_corpus(n: int, seed: int) -> list[SynthDoc]:
    rng = random.Random(seed)
    w = _Writer(rng)
    kinds = list(KINDS)
    makers = {
        "radiology": w.radiology,
        "checklist": w.checklist,
        "procedure": w.procedure_note,
        "clinic": w.clinic,
        "patient": w.patient_message,
        "unrelated": w.unrelated,
    }
    out: list[SynthDoc] = []
    for i in range(n):
        kind = rng.choices(kinds, weights=[KINDS[k] for k in kinds])[0]
        w.said = []
        text, truth = makers[kind](target_size(rng))
        out.append(SynthDoc(f"synth-{i:05d}", kind, text, frozenset(truth), tuple(w.said)))
    return out


def case_report(seed: int, size: int = 8192) -> str:
    """A journal-style case report of about ``size`` bytes: an epidural and venous leak with deficits."""
    r = random.Random(seed)
    w = _Writer(r)
    parts = [
        "Case Report",
        "",
        "Delayed paraparesis from epidural cement after percutaneous vertebroplasty",
        "",
        "ABSTRACT",
        "We describe a 74-year-old woman who developed progressive weakness of both legs two weeks after "
        "vertebroplasty of L1 for an osteoporotic fracture. CT showed cement in the anterior epidural "
        "space at L1 and in the segmental veins. She underwent laminectomy and removal of the cement and "
        "recovered partially.",
        "",
        "CASE PRESENTATION",
        "A 74-year-old woman presented to the emergency department on 14 March 2023 with progressive "
        "weakness of both lower limbs and numbness below the groin. She had undergone percutaneous "
        "vertebroplasty of L1 at another hospital on 1 March 2023, with 5 mL of PMMA injected through a "
        "bipedicular approach.",
        "On examination, power was 3/5 in hip flexion and knee extension bilaterally and 4/5 in ankle "
        "dorsiflexion. There was reduced sensation below L1 and she had urinary retention requiring a "
        "catheter.",
        "",
        "IMAGING",
        "CT of the thoracolumbar spine showed cement leakage into the anterior epidural space at L1, "
        "compressing the thecal sac. Cement was also seen in the segmental veins at L1. There was no "
        "cement in the intervertebral disc. MRI showed signal change in the conus medullaris.",
        "",
        "TREATMENT",
        "She underwent urgent laminectomy of T12 and L1 with removal of the epidural cement on the day of "
        "presentation. Dexamethasone was given before surgery.",
        "",
        "OUTCOME AND FOLLOW-UP",
        "At three months power had improved to 4/5 in both legs and the catheter had been removed. She "
        "walks with a frame.",
        "",
        "DISCUSSION",
    ]
    text = "\n".join(parts)
    discussion = [
        "Cement leakage is common after vertebroplasty and is usually asymptomatic.",
        "Epidural leakage may cause radiculopathy or cord compression, and reported cases are rare.",
        "Most patients with symptomatic epidural cement are treated by decompression and removal.",
        "Low-viscosity cement and a cortical defect of the posterior wall are reported risk factors.",
        "Careful fluoroscopic monitoring during injection reduces the risk of leakage.",
        "Early surgical decompression is generally associated with better neurological recovery.",
        "In our patient, weakness developed after a delay, which suggests progressive compression.",
        "Several studies report an incidence of venous leakage between 20% and 40%.",
        "Computed tomography is more sensitive than radiographs for detecting small leaks.",
    ]
    sentences = w.stream([discussion], [lambda: w.pick(discussion)])
    while True:
        sentence = next(sentences)
        if len((text + " " + sentence + "\n").encode()) > size:
            return text + "\n"
        text += " " + sentence

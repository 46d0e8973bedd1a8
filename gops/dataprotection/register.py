"""Rejestr czynności przetwarzania (RODO art. 30 ust. 1) of the centre, as data.

The text is Polish on purpose: it is a legal document of a Polish centre, printed and signed
there. The centre's name and address come from accounts.Centre; everything else is here.
Verify it with the centre's data protection officer before adopting it.
"""

from dataclasses import dataclass

UPS = "ustawa z dnia 12 marca 2004 r. o pomocy społecznej (u.p.s.)"
RETENTION_B10 = (
    "10 lat od zakończenia sprawy (kategoria archiwalna B10 wg Jednolitego Rzeczowego Wykazu "
    "Akt ośrodka pomocy społecznej), następnie brakowanie albo anonimizacja"
)
SECURITY_COMMON = [
    "indywidualne konta i role użytkowników; dostęp ograniczony do rejonu lub przydziału",
    "dziennik audytu każdego odczytu, wyszukania i zmiany danych (niezmienialny)",
    "szyfrowane połączenie (HTTPS), hasła przechowywane jako skróty",
    "kopie zapasowe szyfrowane, przechowywane poza serwerem",
    "najbardziej wrażliwe opisy (notatki, wywiady, kontrakty, asystentura rodziny, Niebieska "
    "Karta) szyfrowane w bazie danych, klucze poza bazą i kopiami",
    "upoważnienia do przetwarzania danych i szkolenia pracowników",
]


@dataclass(frozen=True)
class Activity:
    name: str
    purpose: str
    legal_basis: list[str]
    subjects: list[str]
    data: list[str]
    recipients: list[str]
    retention: str
    security: list[str]
    transfers: str = "nie dotyczy (brak przekazywania do państw trzecich)"


ACTIVITIES: list[Activity] = [
    Activity(
        name="Ewidencja osób i gospodarstw domowych",
        purpose=(
            "Identyfikacja osób ubiegających się o pomoc i członków ich gospodarstw domowych, "
            "ustalanie właściwości ośrodka i sytuacji dochodowej."
        ),
        legal_basis=[
            "art. 6 ust. 1 lit. c i e RODO",
            "art. 9 ust. 2 lit. b i h RODO (dane o zdrowiu, niepełnosprawności)",
            f"art. 8, art. 100–101, art. 105–107 {UPS}",
        ],
        subjects=["osoby ubiegające się o pomoc", "członkowie ich gospodarstw domowych"],
        data=[
            "imiona, nazwisko, PESEL, data urodzenia, płeć",
            "dokument tożsamości, obywatelstwo, status pobytu cudzoziemca",
            "adres zameldowania i zamieszkania, telefon, e-mail",
            "stopień niepełnosprawności, dochody i ich źródła",
        ],
        recipients=[
            "organy uprawnione na podstawie przepisów prawa (sądy, prokuratura, policja)",
            "wojewoda i minister właściwy ds. zabezpieczenia społecznego (sprawozdawczość)",
            "dostawca systemu i usług hostingu (podmiot przetwarzający, umowa art. 28 RODO)",
        ],
        retention=RETENTION_B10,
        security=SECURITY_COMMON,
    ),
    Activity(
        name="Postępowanie w sprawie przyznania pomocy: wnioski i rodzinne wywiady środowiskowe",
        purpose=(
            "Prowadzenie postępowań administracyjnych, przeprowadzanie rodzinnego wywiadu "
            "środowiskowego, praca socjalna i kontrakt socjalny."
        ),
        legal_basis=[
            "art. 6 ust. 1 lit. c i e RODO",
            "art. 9 ust. 2 lit. b, g i h RODO",
            f"art. 102, art. 106–108 {UPS}",
            "rozporządzenie MRiPS z 2021 r. w sprawie rodzinnego wywiadu środowiskowego",
        ],
        subjects=[
            "wnioskodawcy",
            "członkowie gospodarstw domowych",
            "osoby zobowiązane do alimentacji",
        ],
        data=[
            "dane identyfikacyjne i adresowe",
            "sytuacja materialna, mieszkaniowa, zawodowa i rodzinna",
            "dane o zdrowiu, uzależnieniach, niepełnosprawności (dane szczególnej kategorii)",
            "notatki pracownika socjalnego",
        ],
        recipients=[
            "samorządowe kolegium odwoławcze",
            "organy uprawnione na podstawie przepisów prawa",
        ],
        retention=RETENTION_B10,
        security=SECURITY_COMMON,
    ),
    Activity(
        name="Decyzje administracyjne o świadczeniach",
        purpose="Wydawanie, zmiana i uchylanie decyzji o świadczeniach z pomocy społecznej.",
        legal_basis=[
            "art. 6 ust. 1 lit. c i e RODO",
            "art. 9 ust. 2 lit. b RODO",
            f"art. 36–51, art. 104, art. 106 {UPS}",
            "Kodeks postępowania administracyjnego",
        ],
        subjects=["strony postępowania", "członkowie gospodarstw domowych"],
        data=["dane identyfikacyjne", "rodzaj, kwota i okres świadczenia", "uzasadnienie decyzji"],
        recipients=[
            "samorządowe kolegium odwoławcze, sądy administracyjne",
            "ZUS (zgłoszenie do ubezpieczenia zdrowotnego osób pobierających zasiłek stały)",
        ],
        retention=RETENTION_B10,
        security=SECURITY_COMMON,
    ),
    Activity(
        name="Wypłaty świadczeń i nienależnie pobrane świadczenia",
        purpose="Realizacja wypłat, rozliczenia z budżetem, dochodzenie zwrotu świadczeń.",
        legal_basis=[
            "art. 6 ust. 1 lit. c RODO",
            f"art. 98, art. 104 {UPS}",
            "ustawa o rachunkowości, ustawa o finansach publicznych",
        ],
        subjects=["świadczeniobiorcy", "osoby trzecie otrzymujące świadczenie (np. dostawcy)"],
        data=[
            "dane identyfikacyjne",
            "numer rachunku bankowego",
            "kwoty i daty wypłat, zadłużenie",
        ],
        recipients=[
            "bank obsługujący ośrodek",
            "poczta (przekazy pieniężne)",
            "regionalna izba obrachunkowa",
        ],
        retention=(
            "dokumenty księgowe: 5 lat od końca roku obrotowego (ustawa o rachunkowości, art. 74); "
            "listy wypłat w aktach sprawy: jak akta sprawy (B10)"
        ),
        security=SECURITY_COMMON,
    ),
    Activity(
        name="Udzielanie schronienia osobom bezdomnym",
        purpose=(
            "Kierowanie do schronisk i noclegowni, ewidencja pobytów, indywidualne programy "
            "wychodzenia z bezdomności."
        ),
        legal_basis=[
            "art. 6 ust. 1 lit. c i e RODO",
            "art. 9 ust. 2 lit. b i h RODO",
            f"art. 48a, art. 49 {UPS}",
        ],
        subjects=["osoby bezdomne"],
        data=[
            "dane identyfikacyjne",
            "daty pobytów i miejsce",
            "dane o zdrowiu niezbędne do przyjęcia",
        ],
        recipients=[
            "prowadzący schroniska i noclegownie "
            "(podmioty przetwarzające lub odrębni administratorzy)"
        ],
        retention=RETENTION_B10,
        security=SECURITY_COMMON,
    ),
    Activity(
        name="Poradnictwo i skierowania do instytucji",
        purpose=(
            "Poradnictwo specjalistyczne, kierowanie do instytucji wsparcia i pracy "
            "(CIS, KIS, PUP)."
        ),
        legal_basis=[
            "art. 6 ust. 1 lit. a (zgoda na przekazanie danych instytucji), c i e RODO",
            f"art. 45–46, art. 110 {UPS}",
        ],
        subjects=["osoby korzystające z poradnictwa i skierowań"],
        data=["dane identyfikacyjne", "cel skierowania, wykształcenie, umiejętności, wynik"],
        recipients=["instytucje, do których osoba została skierowana (za jej zgodą)"],
        retention=RETENTION_B10,
        security=SECURITY_COMMON,
    ),
    Activity(
        name="Zajęcia i działania środowiskowe",
        purpose="Zapisy na zajęcia i ewidencja obecności.",
        legal_basis=["art. 6 ust. 1 lit. e RODO", f"art. 110 ust. 1 {UPS}"],
        subjects=["uczestnicy zajęć"],
        data=["imię i nazwisko, kontakt", "obecność na zajęciach"],
        recipients=["brak (ewentualnie partner współorganizujący zajęcia)"],
        retention="5 lat od zakończenia zajęć, chyba że dokumentacja należy do akt sprawy (B10)",
        security=SECURITY_COMMON,
    ),
    Activity(
        name="Wspieranie rodziny – asystent rodziny",
        purpose="Praca z rodziną przeżywającą trudności opiekuńczo-wychowawcze, plan pracy, ocena.",
        legal_basis=[
            "art. 6 ust. 1 lit. c i e RODO",
            "art. 9 ust. 2 lit. b, g i h RODO",
            "ustawa z dnia 9 czerwca 2011 r. o wspieraniu rodziny i systemie pieczy "
            "zastępczej, art. 11–17",
        ],
        subjects=["członkowie rodziny, w tym dzieci"],
        data=[
            "dane identyfikacyjne",
            "sytuacja rodzinna, szkolna i zdrowotna dzieci",
            "plan pracy i notatki",
        ],
        recipients=[
            "sąd rodzinny",
            "powiatowe centrum pomocy rodzinie",
            "szkoły i placówki wsparcia dziennego",
        ],
        retention=RETENTION_B10,
        security=SECURITY_COMMON,
    ),
    Activity(
        name="Procedura „Niebieskie Karty”",
        purpose=(
            "Przeciwdziałanie przemocy domowej: wszczęcie i prowadzenie procedury, "
            "grupa diagnostyczno-pomocowa."
        ),
        legal_basis=[
            "art. 6 ust. 1 lit. c RODO",
            "art. 9 ust. 2 lit. b, g i h RODO",
            "ustawa z dnia 29 lipca 2005 r. o przeciwdziałaniu przemocy domowej, art. 9a–9d",
            "rozporządzenie RM z 2023 r. w sprawie procedury „Niebieskie Karty”",
        ],
        subjects=[
            "osoby doznające przemocy domowej",
            "osoby stosujące przemoc",
            "świadkowie, w tym dzieci",
        ],
        data=[
            "dane identyfikacyjne",
            "opis zdarzeń, dane o zdrowiu",
            "ustalenia grupy diagnostyczno-pomocowej",
        ],
        recipients=[
            "zespół interdyscyplinarny i grupa diagnostyczno-pomocowa",
            "policja, prokuratura, sąd",
        ],
        retention=RETENTION_B10,
        security=[
            *SECURITY_COMMON,
            "dostęp wyłącznie dla członków danej procedury i kierownika; "
            "dane nie są ujawniane osobie stosującej przemoc",
        ],
    ),
    Activity(
        name="Integracja cudzoziemców",
        purpose="Indywidualne programy integracji osób z ochroną międzynarodową.",
        legal_basis=[
            "art. 6 ust. 1 lit. c i e RODO",
            "art. 9 ust. 2 lit. b RODO",
            f"art. 5, art. 92–93 {UPS}",
        ],
        subjects=["cudzoziemcy objęci programem i członkowie ich rodzin"],
        data=[
            "dane identyfikacyjne, status pobytu",
            "cele i przebieg programu, świadczenie integracyjne",
        ],
        recipients=["wojewoda", "Urząd do Spraw Cudzoziemców"],
        retention=RETENTION_B10,
        security=SECURITY_COMMON,
    ),
    Activity(
        name="Dziennik audytu (rozliczalność)",
        purpose="Wykazanie, kto i kiedy miał dostęp do danych (art. 5 ust. 2 i art. 32 RODO).",
        legal_basis=["art. 6 ust. 1 lit. c RODO w zw. z art. 5 ust. 2 i art. 32 RODO"],
        subjects=["pracownicy ośrodka", "osoby, których dane dotyczą"],
        data=["login użytkownika, czas, czynność, obiekt, adres IP"],
        recipients=["inspektor ochrony danych, kierownik ośrodka", "Prezes UODO na żądanie"],
        retention=(
            "jak akta sprawy, której dotyczy wpis (B10); wpisów nie można zmieniać ani usuwać"
        ),
        security=SECURITY_COMMON,
    ),
]

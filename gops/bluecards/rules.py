"""Pure rules of the Blue Card procedure: the statutory deadlines (LAW.md §6). No Django."""

from dataclasses import dataclass
from datetime import date

from gops.cases.rules import add_working_days

# Rozporządzenie Rady Ministrów w sprawie procedury „Niebieskie Karty” (Dz.U. 2023
# poz. 1870; LAW.md §6), in working days:
TO_TEAM_WORKING_DAYS = 5  # form A to the interdisciplinary team
TO_GROUP_WORKING_DAYS = 3  # the team passes it to a diagnostic-and-support group
FIRST_MEETING_WORKING_DAYS = 5  # the group's first meeting


@dataclass(frozen=True)
class Deadline:
    code: str  # "to_team", "to_group", "first_meeting"
    due_on: date | None  # None until the step it counts from has happened
    done_on: date | None

    def overdue(self, today: date) -> bool:
        if self.due_on is None:
            return False
        return (self.done_on or today) > self.due_on

    def late(self) -> bool:
        """Done, but after the deadline."""
        return self.done_on is not None and self.due_on is not None and self.done_on > self.due_on


def deadlines(
    *,
    opened_on: date,
    sent_to_team_on: date | None,
    group_received_on: date | None,
    first_meeting_on: date | None,
) -> list[Deadline]:
    """The three statutory deadlines, each counted from the step before it."""
    return [
        Deadline("to_team", add_working_days(opened_on, TO_TEAM_WORKING_DAYS), sent_to_team_on),
        Deadline(
            "to_group",
            add_working_days(sent_to_team_on, TO_GROUP_WORKING_DAYS) if sent_to_team_on else None,
            group_received_on,
        ),
        Deadline(
            "first_meeting",
            add_working_days(group_received_on, FIRST_MEETING_WORKING_DAYS)
            if group_received_on
            else None,
            first_meeting_on,
        ),
    ]

from gops.audit.models import AuditEntry
from gops.people.tests.factories import make_foreigner, make_person


def test_person_create_derives_birth_date_and_sex_from_pesel(worker_a):
    person = make_person(actor=worker_a)
    assert person.birth_date.isoformat() == "1944-05-14"
    assert person.sex == "M"
    assert person.district == worker_a.district
    assert AuditEntry.objects.filter(person_id=person.pk, action="create").count() == 1


def test_foreigner_without_pesel_is_registered(worker_a):
    person = make_foreigner(actor=worker_a)
    assert person.pesel is None
    assert person.document_search == "FE123456"

"""The screening checklist of the domain brief §3 as data: version 1 of the SCR criteria (Working Together
2015, as Cambridgeshire and Sunderland apply them)."""

from django.db import migrations

S000 = "Cambridgeshire & Peterborough SCB (seed 000)"
S002 = "Solihull LSCB SCR Practice Guidance (seed 002)"
S003 = "Bolton SCB leaflet (seed 003)"
S004 = "Sunderland SCB guidance (seed 004)"

QUESTIONS = [
    ("ABUSE", "abuse", "Is abuse or neglect of the child known or suspected?", f"{S000}, §4; {S004}"),
    ("M1", "mandatory", "Has the child died (including by suicide), whether or not children's social care "
     "was involved?", f"{S000}, §4; {S002}, §1.2.2; {S004}"),
    ("M2", "mandatory", "Has the child been seriously harmed, with cause for concern about how the local "
     "authority, its partners or others worked together?", f"{S000}, §4; {S004}"),
    ("A1", "custody", "Did the child die in police custody, on remand or after sentencing, in a young "
     "offender institution, secure training centre or secure children's home, or while detained under "
     "mental health legislation?", f"{S000}, §4 item 3; {S002}, §1.2.2"),
    ("C1", "consider", "Did the child suffer a potentially life-threatening injury, or serious and permanent "
     "impairment of health or development, through abuse or neglect?", f"{S000}, §4; {S002}, §1.2.3"),
    ("C2", "consider", "Was the child seriously harmed through sexual abuse?", f"{S000}, §4; {S003}"),
    ("C3", "consider", "Was a parent murdered, with a domestic homicide review started?", f"{S000}, §4"),
    ("C4", "consider", "Was the child killed by a parent with a mental illness?", f"{S000}, §4"),
    ("C5", "consider", "Was the child seriously harmed in a violent assault by another child or an adult?",
     f"{S000}, §4"),
    ("G", "gate", "Does the case raise concerns about how local professionals and services worked together, "
     "between agencies or between disciplines?", f"{S000}, §4; {S002}, §1.2.3"),
    ("H1", "helper", "Was there clear evidence of actual or likely significant harm that was not recognised, "
     "shared or acted on appropriately?", f"{S000}, §4; {S002}, §1.4.1"),
    ("H2", "helper", "Did the abuse or neglect happen in an institution (for example a school, nursery, "
     "children's home or secure setting)?", f"{S002}, §1.4.1"),
    ("H3", "helper", "Did the abuse or neglect happen while the child was looked after by the local "
     "authority?", f"{S002}, §1.4.1"),
    ("H4", "helper", "Had the family recently moved to the UK?", f"{S002}, §1.4.1"),
    ("H5", "helper", "Was the child harmed while missing, absent from an institution or after running away?",
     f"{S002}, §1.4.1"),
    ("H6", "helper", "Does an agency feel that another agency did not take its concerns seriously?",
     f"{S002}, §1.4.1"),
    ("H7", "helper", "Are there signs of failings in local safeguarding procedures beyond this case?",
     f"{S002}, §1.4.1"),
    ("H8", "helper", "Is or was the child the subject of a child protection plan?", f"{S002}, §1.4.1"),
    ("H9", "helper", "Does the case have implications for a range of agencies or professionals?",
     f"{S002}, §1.4.1"),
    ("H10", "helper", "Might LSCB protocols need to change, or are they not understood or followed?",
     f"{S002}, §1.4.1"),
    ("H11", "helper", "Does the case have national implications, or is there a public interest in "
     "reviewing it?", f"{S002}, §1.4.1"),
]


def seed(apps, schema_editor):
    Framework = apps.get_model("referrals", "CriteriaFramework")
    Question = apps.get_model("referrals", "CriterionQuestion")
    framework, _ = Framework.objects.get_or_create(
        code="scr-wt2015", version=1, defaults={"name": "Serious case review criteria (Working Together 2015)"}
    )
    for order, (code, group, text, source) in enumerate(QUESTIONS, start=1):
        Question.objects.update_or_create(
            framework=framework, code=code, defaults={"group": group, "text": text, "source": source, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

"""The family's genogram as the agency understands it (Solihull App 15)."""

from django.db import models
from django.db.models import F, Q

from .imr import of_imr


class Sex(models.TextChoices):
    MALE = "male", "Male"
    FEMALE = "female", "Female"
    UNKNOWN = "unknown", "Not known"


class GenogramPerson(models.Model):
    """A person on the family's genogram, as the agency understands it (Solihull App 14 §2.3, App 15):
    the symbol comes from the sex, a cross from a death, the dotted line round a household from the
    household label, children eldest first by birth order."""

    imr = of_imr("genogram_people")
    label = models.CharField(max_length=100, help_text="The anonymised name used in the report.")
    relationship_to_child = models.CharField(max_length=100, blank=True)
    sex = models.CharField(max_length=10, choices=Sex.choices)
    date_of_birth = models.DateField(null=True, blank=True)
    deceased = models.BooleanField(default=False)
    date_of_death = models.DateField(null=True, blank=True)
    pregnancy_loss = models.BooleanField(default=False, help_text="A miscarriage or abortion (App 15).")
    household = models.CharField(max_length=50, blank=True)
    subject_child = models.BooleanField(default=False)
    birth_order = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["imr", "birth_order", "date_of_birth", "pk"]

    def __str__(self) -> str:
        return self.label


class RelationshipKind(models.TextChoices):
    ENDURING = "enduring", "Enduring relationship (for example marriage or living together)"
    TRANSITORY = "transitory", "Transitory relationship"
    SEPARATED = "separated", "Separated"
    DIVORCED = "divorced", "Divorced"
    PARENT_CHILD = "parent_child", "Parent and child"
    TWINS = "twins", "Twins"


class GenogramRelationship(models.Model):
    """A line on the genogram (App 15). For parent and child, person A is the parent."""

    imr = of_imr("genogram_relationships")
    person_a = models.ForeignKey(GenogramPerson, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(GenogramPerson, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=RelationshipKind.choices)

    class Meta:
        ordering = ["imr", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(person_a=F("person_b")), name="genogram_two_people"),
            models.UniqueConstraint(fields=["person_a", "person_b", "kind"], name="genogram_line_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_a} – {self.person_b}: {self.get_kind_display()}"

    @property
    def is_parent_child(self) -> bool:
        return self.kind == RelationshipKind.PARENT_CHILD

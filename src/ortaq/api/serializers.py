from __future__ import annotations

from rest_framework import serializers

from ortaq.accounts.models import Organisation
from ortaq.reference.models import ActivityArea, LegalForm, Region


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "code", "kato", "kind", "name_kk", "name_ru", "name_en", "is_active"]


class LegalFormSerializer(serializers.ModelSerializer):
    class Meta:
        model = LegalForm
        fields = ["id", "code", "group", "short_ru", "name_kk", "name_ru", "name_en"]


class ActivityAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActivityArea
        fields = ["id", "code", "name_kk", "name_ru", "name_en"]


class OrganisationSerializer(serializers.ModelSerializer):
    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text="Region code; null: national."
    )

    class Meta:
        model = Organisation
        fields = ["id", "kind", "level", "region", "name_kk", "name_ru", "name_en", "bin"]

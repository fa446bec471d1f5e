"""A scenario's plan in mode opd: one OPD's reports with the Admin Instansi's script, the
mode and [opd] settings copied into the session, and a clear error without a playable OPD."""

from __future__ import annotations

import pytest

from sandbox.domain.errors import ValidationError
from sandbox.services.practice import scenario_plan


def test_an_opd_plan_stores_the_admin_instansis_disposition_with_each_report(app):
    with app.app_context():
        plan = scenario_plan("opd-penghubung", None, unit="pdam")
        other = scenario_plan("opd-penghubung", None, unit="disdukcapil")
    assert plan.settings["mode"] == "opd"
    assert plan.settings["opd"] == {"wrong_share": 0.25, "admin_delay": 0.25,
                                    "redispose_delay": 0.25}
    scripts = [script for _, script in plan.complaints]
    assert len(scripts) == 8 and all(script is not None for script in scripts)
    assert {script["instansi"]["unit"] for script in scripts} == {"pdam"}
    assert [script["instansi"]["wrong"] for script in scripts].count(True) == 2
    # The reporter's own script is kept beside it, unchanged.
    assert all(script["chase"] is True and script["accept"] == "if_concrete"
               for script in scripts)
    for (item, script), (other_item, other_script) in zip(plan.complaints, other.complaints,
                                                          strict=True):
        assert item.arrived_at == other_item.arrived_at
        assert script["instansi"]["wrong"] == other_script["instansi"]["wrong"]
        if not script["instansi"]["wrong"]:
            assert item.key.expected_target == "pdam"
            assert other_item.key.expected_target == "disdukcapil"


def test_an_individu_plan_has_no_admin_instansi_script(app):
    with app.app_context():
        plan = scenario_plan("bimtek-dasar", None, unit="pdam")
    assert plan.settings["mode"] == "individu"
    assert all(script is not None and "instansi" not in script
               for _, script in plan.complaints)


@pytest.mark.parametrize(("unit", "field", "message"), [
    (None, "scenario", 'Skenario ini memakai mode "opd": pilih OPD Anda'),
    ("setda", "unit", "«setda» bukan OPD yang dapat dipilih di Kabupaten Sukamaju"),
    ("pln", "unit", "«pln» bukan OPD yang dapat dipilih"),
])
def test_an_opd_plan_without_a_playable_opd_is_a_clear_error(app, unit, field, message):
    with app.app_context(), pytest.raises(ValidationError) as refused:
        scenario_plan("opd-penghubung", None, unit=unit)
    assert message in refused.value.errors[field]

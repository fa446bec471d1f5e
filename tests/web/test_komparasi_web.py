"""A studi komparasi session's clock controls (issue 14): the speed is locked once started."""

from __future__ import annotations

from tests.web.kit import create_session, login


def test_the_control_bar_shows_the_lock_instead_of_the_speed_form(app, accounts):
    ratna_client = login(app, "ratna")
    code = create_session(ratna_client, studi="Studi Kalsel 2026")
    lobby = ratna_client.get(f"/fasilitator/sesi/{code}").get_data(as_text=True)
    assert 'id="speed-locked"' in lobby and 'id="ctl-kecepatan"' not in lobby
    ratna_client.post(f"/fasilitator/sesi/{code}/kontrol/mulai")
    running = ratna_client.get(f"/fasilitator/sesi/{code}").get_data(as_text=True)
    assert 'id="speed-locked"' in running and 'id="ctl-kecepatan"' not in running
    refused = ratna_client.post(f"/fasilitator/sesi/{code}/kontrol/kecepatan",
                                data={"menit_per_hk": "1"})
    assert refused.status_code in (400, 409, 422) and "dikunci" in refused.get_data(
        as_text=True)

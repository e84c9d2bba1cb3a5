"""The window opens on a new library and shows the sample report the app adds at its first start."""

from bw import App

# A report row in the library: the contract's selector, or the first library view's markup.
ROW = '[data-testid="report-row"], [data-report-id], li.report'
SAMPLE_TITLE = "Canal Authority Cuts Daily Transits as Drought Deepens"


def test_window_opens_with_the_sample_report(apps):
    app: App = apps.new(ready=None)
    row = app.wait_for(ROW, timeout=60)
    app.wait_until("the sample report's title in the library", lambda: SAMPLE_TITLE in row.text)
    assert len(app.find_all(ROW)) == 1, "a new library holds exactly the sample report"
    assert "BW-" in row.text, f"the row shows the report number: {row.text!r}"
    assert app.d.title == "Briefwright"
    # The search field is there and takes text.
    search = app.find('[data-testid="search-input"], input[type="search"]')
    app.type_into(search, "drought")
    assert app.value(search) == "drought"
    # The content security policy is in force: inline script is refused.
    blocked = app.d.execute_script(
        """
        window.__inline = 0;
        const s = document.createElement('script');
        s.textContent = 'window.__inline = 1';
        document.head.appendChild(s);
        return window.__inline;
        """
    )
    assert blocked == 0, "an inline <script> ran: the CSP does not block inline scripts"

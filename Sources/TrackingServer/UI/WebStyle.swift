/// The web UI's inline stylesheet and script: no external CDN, so pages work offline. The script
/// only folds and unfolds nested runs (sorting is server-side, by header links); every page is
/// readable without it (`?expand=all` shows nested runs unfolded).
///
/// ```swift
/// "<style>\(WebStyle.css)</style>"
/// ```
public enum WebStyle {
    public static let css = """
    body{font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:0;color:#1d2330;background:#f6f7f9;font-size:14px}
    nav.top{background:#1d2330;padding:10px 20px;display:flex;gap:18px;align-items:center}
    nav.top a{color:#cfd6e4;text-decoration:none}nav.top a.current{color:#fff;font-weight:600;border-bottom:2px solid #4c9aff}
    nav.top a.brand{color:#fff;font-weight:700;font-size:16px;margin-right:12px}
    main{padding:16px 24px;max-width:1400px}
    h1{font-size:22px;margin:8px 0 12px}h2{font-size:17px;margin:22px 0 8px;border-bottom:1px solid #dde1e8;padding-bottom:4px}
    a{color:#0b5cad}
    table{border-collapse:collapse;background:#fff;margin:4px 0 12px}
    th,td{border:1px solid #dde1e8;padding:4px 8px;text-align:left;vertical-align:top}
    th{background:#eef1f5;font-weight:600}
    table.kv th{width:180px}
    td.num{text-align:right;font-variant-numeric:tabular-nums}
    tr.diff td{background:#fff6d6}tr.diff th::after{content:" ≠";color:#b35c00}
    time{white-space:nowrap}td code{word-break:break-all}main{overflow-x:auto}
    .muted,.empty{color:#6b7385}.error{color:#a4000f;background:#fde8ea;padding:8px 12px;border:1px solid #f3b6bd}
    pre{background:#fff;border:1px solid #dde1e8;padding:8px;max-height:320px;overflow:auto;white-space:pre-wrap}
    .charts{display:flex;flex-wrap:wrap;gap:12px}.charts svg{background:#fff;border:1px solid #dde1e8;max-width:100%;height:auto}
    form.filter input[type=text]{width:420px;padding:4px}form.filter label{margin-right:10px}
    .badge{display:inline-block;padding:1px 7px;border-radius:9px;background:#e3e8f0;font-size:12px;margin-right:4px}
    .badge.pass,.badge.FINISHED{background:#d6f5dd}.badge.fail,.badge.FAILED{background:#fde1e1}.badge.RUNNING{background:#dbe9ff}
    button.fold{border:0;background:none;cursor:pointer;color:#0b5cad;padding:0 4px}
    img.preview{max-width:640px;background:#fff;border:1px solid #dde1e8}
    th a{color:inherit}
    """

    public static let script = """
    document.querySelectorAll('button.fold').forEach(function(b){b.addEventListener('click',function(){
    var open=b.getAttribute('aria-expanded')!=='true';b.setAttribute('aria-expanded',open?'true':'false');
    b.textContent=(open?'\\u25be ':'\\u25b8 ')+b.dataset.count;
    document.querySelectorAll('tr[data-parent="'+b.dataset.run+'"]').forEach(function(r){r.hidden=!open;});});});
    """
}

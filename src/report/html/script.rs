//! The page's one script and the Content-Security-Policy that allows exactly
//! it (by SHA-256, no 'unsafe-inline'), so the page runs offline with nothing
//! from the network.

/// Stands for the CSP until the script (and so its hash) is known.
pub(super) const CSP_PLACEHOLDER: &str = "\u{0}csp\u{0}";

/// The page's policy: nothing from the network, inline styles, and exactly
/// this page's own script, allowed by its SHA-256 (no 'unsafe-inline').
pub(super) fn csp(script: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(script.as_bytes());
    format!(
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{}'; img-src data:",
        base64(&digest)
    )
}

/// Standard base64 with padding (for the CSP hash).
fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The page's one script: the row filter and the decision recorder. Data
/// comes from the DOM (`data-*` attributes, escaped like all text), never
/// spliced into the script, so its hash is the same for every report.
pub(super) fn script() -> String {
    format!(
        "{SCRIPT_HEAD}var COLUMNS='{}';{SCRIPT_BODY}",
        crate::screen::decisions::COLUMNS.join(",")
    )
}

const SCRIPT_HEAD: &str = "(function(){'use strict';";

const SCRIPT_BODY: &str = r#"
var filter=document.getElementById('filter'),funded=document.getElementById('funded-only'),shown=document.getElementById('shown');
var rows=document.querySelectorAll('table.papers tbody tr');
function applyFilter(){var q=filter.value.toLowerCase(),k=0;rows.forEach(function(r){var s=r.textContent.toLowerCase().indexOf(q)>=0&&(!funded.checked||r.getAttribute('data-funded')==='1');r.style.display=s?'':'none';if(s)k++;});shown.textContent=k+' of '+rows.length+' rows';}
filter.addEventListener('input',applyFilter);funded.addEventListener('change',applyFilter);applyFilter();
var store='coscreen-decisions:'+document.body.getAttribute('data-run');
var me=document.getElementById('reviewer'),status=document.getElementById('decisions-status');
var state={},saved={};
try{saved=JSON.parse(localStorage.getItem(store)||'{}')||{};}catch(e){saved={};}
try{me.value=localStorage.getItem('coscreen-reviewer')||'';}catch(e){}
me.addEventListener('input',function(){try{localStorage.setItem('coscreen-reviewer',me.value);}catch(e){}});
function today(){var d=new Date();return d.getFullYear()+'-'+String(d.getMonth()+1).padStart(2,'0')+'-'+String(d.getDate()).padStart(2,'0');}
function key(b){return b.getAttribute('data-work')+'\t'+b.getAttribute('data-inst');}
function field(b,c){return b.querySelector('.d-'+c);}
function count(){var n=Object.keys(state).length;status.textContent=n+(n===1?' decision':' decisions')+' recorded';}
function save(){try{localStorage.setItem(store,JSON.stringify(saved));}catch(e){}count();}
function edit(b){
  var k=key(b),d=field(b,'decision').value;
  if(!d){delete state[k];saved[k]=null;save();return;}
  var r=field(b,'reviewer');
  if(!r.value.trim()&&me.value.trim()){r.value=me.value.trim();}
  state[k]={decision:d,reviewer:r.value.trim(),note:field(b,'note').value.trim(),expires:field(b,'expires').value,date:today()};
  saved[k]=state[k];save();
}
document.querySelectorAll('.decide').forEach(function(b){
  var k=key(b),s=null;
  if(Object.prototype.hasOwnProperty.call(saved,k)){s=saved[k];}
  else if(b.getAttribute('data-decision')){s={decision:b.getAttribute('data-decision'),reviewer:b.getAttribute('data-reviewer')||'',note:b.getAttribute('data-note')||'',expires:b.getAttribute('data-expires')||'',date:b.getAttribute('data-date')||''};}
  if(s){state[k]=s;field(b,'decision').value=s.decision;field(b,'reviewer').value=s.reviewer;field(b,'note').value=s.note;field(b,'expires').value=s.expires;}
  b.addEventListener('change',function(){edit(b);});
  b.addEventListener('input',function(ev){if(ev.target!==field(b,'decision')){edit(b);}});
});
count();
function cell(v){v=String(v==null?'':v);return /[",\r\n]/.test(v)?'"'+v.replace(/"/g,'""')+'"':v;}
document.getElementById('export').addEventListener('click',function(){
  var keys=Object.keys(state).sort();
  var missing=keys.filter(function(k){return !state[k].reviewer;});
  if(missing.length){status.textContent='A reviewer name is needed for: '+missing.map(function(k){return k.replace('\t',' / ');}).join(', ');return;}
  var lines=[COLUMNS];
  keys.forEach(function(k){var p=k.split('\t'),s=state[k];lines.push([p[0],p[1],s.decision,s.reviewer,s.date,s.note,s.expires].map(cell).join(','));});
  var a=document.createElement('a');
  a.href=URL.createObjectURL(new Blob([lines.join('\n')+'\n'],{type:'text/csv'}));
  a.download='decisions.csv';document.body.appendChild(a);a.click();a.remove();
  status.textContent=keys.length+(keys.length===1?' decision':' decisions')+' exported to decisions.csv';
});
})();"#;

#[cfg(test)]
mod tests {
    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (i, o) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(super::base64(i.as_bytes()), o);
        }
    }

    #[test]
    fn the_csp_allows_exactly_the_page_script_by_hash() {
        let script = super::script();
        let csp = super::csp(&script);
        assert!(csp.contains("script-src 'sha256-"), "{csp}");
        assert!(!csp.contains("script-src 'unsafe-inline"), "{csp}");
        assert_ne!(
            csp,
            super::csp(&(script + " ")),
            "the hash changes with the script"
        );
        assert!(
            !super::script().contains("</"),
            "no markup can close the script early"
        );
    }
}

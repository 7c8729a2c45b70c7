//! Country evidence in an affiliation: country names, common forms
//! ("Peoples R China", "P.R. China", "USA") and the cities that name a country
//! on their own. Used to reject a listed name that appears with another
//! country ("National Defense University, Washington, DC") and to require
//! positive evidence for names shared abroad.

use aho_corasick::{AhoCorasick, MatchKind};

use super::normalize::{normalize_name, Normalized, SEGMENT_SEP};

/// (country code, names). Longer forms first is not needed: the automaton
/// takes the leftmost-longest match, so "republic of china" (Taiwan) beats
/// "china" and "peoples republic of china" beats both.
const COUNTRIES: &[(&str, &[&str])] = &[
    (
        "CN",
        &[
            "china",
            "peoples r china",
            "p r china",
            "pr china",
            "p.r.china",
            "prc",
            "people's republic of china",
            "peoples republic of china",
            "mainland china",
            "中国",
            "中华人民共和国",
            // Cities and provinces that on their own place an affiliation in mainland China.
            "beijing",
            "shanghai",
            "tianjin",
            "chongqing",
            "harbin",
            "nanjing",
            "xian",
            "xi an",
            "changsha",
            "chengdu",
            "wuhan",
            "hefei",
            "shenzhen",
            "guangzhou",
            "shenyang",
            "dalian",
            "mianyang",
            "hangzhou",
            "jinan",
            "qingdao",
            "zhengzhou",
            "lanzhou",
            "kunming",
            "changchun",
            "taiyuan",
            "shijiazhuang",
            "nanchang",
            "fuzhou",
            "xiamen",
            "weihai",
            "suzhou",
            "wuxi",
            "ningbo",
            "hohhot",
            "urumqi",
            "guiyang",
            "nanning",
            "haikou",
            "yinchuan",
            "xining",
            "lhasa",
            "baotou",
            "luoyang",
            "xiangtan",
            "zhuhai",
            "dongguan",
            "foshan",
            "yantai",
            "zibo",
            "qinhuangdao",
            "baoding",
            "tangshan",
            "handan",
            "anshan",
            "jilin city",
            "daqing",
            "mudanjiang",
            "guilin",
            "zhenjiang",
            "changzhou",
            "yangzhou",
            "xuzhou",
            "huainan",
            "wuhu",
            "hengyang",
            "zhuzhou",
            "yichang",
            "xiangyang",
            "baoji",
            "xianyang",
            "hanzhong",
            "shaoxing",
            "wenzhou",
            "jinhua",
            "zhanjiang",
            "shantou",
            "heilongjiang",
            "jilin province",
            "liaoning",
            "hebei",
            "henan",
            "shandong",
            "shanxi",
            "shaanxi",
            "jiangsu",
            "zhejiang",
            "anhui",
            "fujian",
            "jiangxi",
            "hubei",
            "hunan",
            "guangdong",
            "guangxi",
            "hainan",
            "sichuan",
            "guizhou",
            "yunnan",
            "gansu",
            "qinghai",
            "ningxia",
            "xinjiang",
            "tibet",
            "inner mongolia",
            "北京",
            "上海",
            "哈尔滨",
            "南京",
            "西安",
            "长沙",
            "成都",
            "武汉",
            "合肥",
            "深圳",
            "广州",
            "沈阳",
            "大连",
            "绵阳",
            "杭州",
            "天津",
            "重庆",
        ],
    ),
    (
        "TW",
        &[
            "taiwan",
            "republic of china",
            "roc",
            "taipei",
            "taoyuan",
            "hsinchu",
            "taichung",
            "tainan",
            "kaohsiung",
            "台湾",
            "臺灣",
        ],
    ),
    ("HK", &["hong kong", "hongkong", "kowloon", "香港"]),
    ("MO", &["macau", "macao", "澳门"]),
    (
        "US",
        &[
            "usa",
            "u s a",
            "united states",
            "united states of america",
            "us",
            "america",
            "washington",
            "dc",
            "evanston",
            "boston",
            "chicago",
            "new york",
            "california",
            "massachusetts",
            "illinois",
            "texas",
            "maryland",
            "virginia",
            "pennsylvania",
            "michigan",
            "ohio",
            "florida",
            "georgia",
            "colorado",
            "arizona",
            "north carolina",
            "new jersey",
            "minnesota",
            "wisconsin",
            "indiana",
            "tennessee",
            "connecticut",
            "oregon",
            "utah",
            "iowa",
            "missouri",
            "louisiana",
            "kentucky",
            "alabama",
            "fort mcnair",
            "monterey",
            "los angeles",
            "san francisco",
            "seattle",
            "houston",
            "atlanta",
            "pittsburgh",
            "philadelphia",
            "baltimore",
            "bethesda",
            "cambridge ma",
            "stanford",
            "berkeley",
            "princeton",
            "ann arbor",
            "west point",
            "annapolis",
            "honolulu",
            "hawaii",
        ],
    ),
    (
        "GB",
        &[
            "uk",
            "u k",
            "united kingdom",
            "england",
            "scotland",
            "wales",
            "great britain",
            "london",
            "oxford",
            "edinburgh",
            "manchester",
            "shrivenham",
        ],
    ),
    (
        "CA",
        &[
            "canada",
            "ontario",
            "quebec",
            "british columbia",
            "alberta",
            "toronto",
            "montreal",
            "vancouver",
            "ottawa",
        ],
    ),
    (
        "AU",
        &[
            "australia",
            "new south wales",
            "victoria australia",
            "queensland",
            "canberra",
            "sydney",
            "melbourne",
        ],
    ),
    (
        "DE",
        &["germany", "deutschland", "berlin", "munich", "hamburg"],
    ),
    ("FR", &["france", "paris"]),
    (
        "BE",
        &[
            "belgium", "belgique", "belgie", "brussels", "leuven", "ghent", "gent", "liege",
            "antwerp",
        ],
    ),
    (
        "NL",
        &[
            "netherlands",
            "the netherlands",
            "holland",
            "amsterdam",
            "delft",
            "eindhoven",
        ],
    ),
    ("JP", &["japan", "tokyo", "osaka", "kyoto"]),
    (
        "KR",
        &[
            "korea",
            "south korea",
            "republic of korea",
            "seoul",
            "daejeon",
        ],
    ),
    ("KP", &["north korea", "dprk", "pyongyang"]),
    ("SG", &["singapore"]),
    (
        "IN",
        &["india", "new delhi", "bangalore", "bengaluru", "mumbai"],
    ),
    ("PK", &["pakistan", "islamabad"]),
    (
        "RU",
        &[
            "russia",
            "russian federation",
            "moscow",
            "saint petersburg",
            "st petersburg",
            "novosibirsk",
            "россия",
        ],
    ),
    ("IR", &["iran", "islamic republic of iran", "tehran"]),
    ("IT", &["italy", "italia", "rome", "milan"]),
    ("ES", &["spain", "espana", "madrid", "barcelona"]),
    ("CH", &["switzerland", "zurich", "geneva", "lausanne"]),
    ("SE", &["sweden", "stockholm"]),
    ("NO", &["norway", "oslo"]),
    ("DK", &["denmark", "copenhagen"]),
    ("FI", &["finland", "helsinki"]),
    ("AT", &["austria", "vienna"]),
    ("PL", &["poland", "warsaw"]),
    ("IL", &["israel"]),
    ("TR", &["turkey", "turkiye", "ankara", "istanbul"]),
    ("BR", &["brazil", "brasil"]),
    ("MX", &["mexico"]),
    ("NZ", &["new zealand"]),
    ("IE", &["ireland", "dublin"]),
    ("PT", &["portugal", "lisbon"]),
    ("GR", &["greece", "athens"]),
    ("CZ", &["czech republic", "czechia", "prague"]),
    ("MY", &["malaysia", "kuala lumpur"]),
    ("TH", &["thailand", "bangkok"]),
    ("VN", &["vietnam", "viet nam", "hanoi"]),
    ("SA", &["saudi arabia", "riyadh"]),
    ("AE", &["united arab emirates", "uae", "abu dhabi", "dubai"]),
    ("EG", &["egypt", "cairo"]),
    ("ZA", &["south africa"]),
    ("UA", &["ukraine", "kyiv", "kiev"]),
    ("BY", &["belarus", "minsk"]),
];

/// Finds country evidence per chunk in a normalised string.
#[derive(Debug, Clone)]
pub struct CountryIndex {
    ac: AhoCorasick,
    codes: Vec<&'static str>,
}

impl CountryIndex {
    /// The country evidence that applies to a name found in segment `seg`:
    /// affiliations read "institution, city, country", so the nearest segment
    /// at or after `seg` (in the same affiliation) that names a country wins;
    /// failing that, the nearest one before it.
    pub fn scope(
        norm: &Normalized,
        evidence: &[(u32, &'static str)],
        seg: usize,
        out: &mut Vec<&'static str>,
    ) {
        out.clear();
        let chunk = norm.segments[seg].chunk;
        let in_chunk = |s: u32| norm.segments[s as usize].chunk == chunk;
        let after = evidence
            .iter()
            .filter(|(s, _)| *s as usize >= seg && in_chunk(*s))
            .map(|(s, _)| *s)
            .min();
        let pick = after.or_else(|| {
            evidence
                .iter()
                .filter(|(s, _)| (*s as usize) < seg && in_chunk(*s))
                .map(|(s, _)| *s)
                .max()
        });
        if let Some(p) = pick {
            for (s, code) in evidence {
                if *s == p && !out.contains(code) {
                    out.push(code);
                }
            }
        }
    }

    /// Compiles the country and city names.
    pub fn new() -> Self {
        let mut patterns = Vec::new();
        let mut codes = Vec::new();
        for (code, names) in COUNTRIES {
            for name in *names {
                let key = normalize_name(name);
                if !key.is_empty() && !patterns.contains(&key) {
                    patterns.push(key);
                    codes.push(*code);
                }
            }
        }
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&patterns)
            .expect("country patterns compile");
        Self { ac, codes }
    }

    /// Country codes seen, as (segment, code) pairs in text order.
    pub fn evidence(&self, norm: &Normalized, out: &mut Vec<(u32, &'static str)>) {
        out.clear();
        let text = norm.text.as_bytes();
        for m in self.ac.find_iter(&norm.text) {
            if !word_bounded(text, m.start(), m.end()) {
                continue;
            }
            let tok = norm.token_at(m.start() as u32);
            out.push((norm.tokens[tok].seg, self.codes[m.pattern().as_usize()]));
        }
    }
}

impl Default for CountryIndex {
    fn default() -> Self {
        Self::new()
    }
}

/// Whether `text[start..end]` starts and ends on a token boundary (CJK
/// characters are their own boundaries).
pub fn word_bounded(text: &[u8], start: usize, end: usize) -> bool {
    let before_ok =
        start == 0 || matches!(text[start - 1], b' ' | b'|') || cjk_edge(text, start, true);
    let after_ok =
        end >= text.len() || matches!(text[end], b' ' | b'|') || cjk_edge(text, end, false);
    before_ok && after_ok
}

/// At a boundary between two characters where either side is CJK.
fn cjk_edge(text: &[u8], at: usize, _is_start: bool) -> bool {
    // Character ending just before `at`.
    let before = std::str::from_utf8(&text[..at])
        .ok()
        .and_then(|s| s.chars().next_back());
    let after = std::str::from_utf8(&text[at..])
        .ok()
        .and_then(|s| s.chars().next());
    before.is_some_and(super::normalize::is_cjk) || after.is_some_and(super::normalize::is_cjk)
}

// The separator must be a single ASCII byte for `word_bounded`.
const _: () = assert!(SEGMENT_SEP.is_ascii());

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(s: &str) -> Vec<&'static str> {
        let idx = CountryIndex::new();
        let mut n = Normalized::default();
        n.run(s);
        let mut out = Vec::new();
        idx.evidence(&n, &mut out);
        out.into_iter().map(|(_, c)| c).collect()
    }

    #[test]
    fn forms_of_china_taiwan_and_usa() {
        assert_eq!(codes("Harbin 150001, Peoples R China"), ["CN", "CN"]);
        assert_eq!(
            codes("Taoyuan, Taiwan, Republic of China"),
            ["TW", "TW", "TW"]
        );
        assert_eq!(
            codes("Beijing 100871, People's Republic of China"),
            ["CN", "CN"]
        );
        assert_eq!(codes("Washington, DC 20319, USA"), ["US", "US", "US"]);
        assert_eq!(codes("Evanston, IL"), ["US"]);
    }

    #[test]
    fn words_inside_other_words_do_not_count() {
        assert!(codes("Chinatown Clinic").is_empty());
        assert!(codes("Department of Business").is_empty());
    }
}

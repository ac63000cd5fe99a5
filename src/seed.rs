//! The demo registry behind `fairhire seed-demo`: certification bodies with their auditors and
//! certifiers, about 300 recruitment agencies on real migration corridors, and each agency's
//! story through the certification cycle, told with the functions the API itself uses
//! (applications, audits finalized and scored, corrective actions, certification decisions).
//!
//! Everything is drawn from one seeded random generator, so every run tells the same stories
//! (ids, certificate numbers and client secrets aside). All dates are relative to the `now`
//! passed in, so the registry always looks current: each story is played forward with explicit
//! times in the past, and the automatic rules are then applied once, as of `now`, by
//! [`certification::sweep`]. Expired, withdrawn and some suspended agencies get there by the
//! real rules.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, Utc};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde::Serialize;
use uuid::Uuid;
use validator::Validate;

use crate::api::agency_model::{Address, AgencyInput, Licence};
use crate::api::assessment_model::{AuditMethods, FeeAmount};
use crate::api::certification_bodies::{AccreditationStatus, ApplicationStatus};
use crate::api::clients::{ClientInput, create_client};
use crate::auth::secrets::NewSecret;
use crate::certification::{self, Decider, SYSTEM};
use crate::db::{Db, DbConnection};
use crate::domain::agency::{CertificationStatus, Sector, fold_for_search, licence_key};
use crate::domain::assessment::{AssessmentKind, AssessmentStatus, FeeCategory};
use crate::domain::certification::{self as rules, DEFERRAL_DAYS};
use crate::domain::corrective::{ActionStatus, deadlines, is_overdue};
use crate::domain::roles::Role;
use crate::domain::scoring;
use crate::domain::standard::{Severity, StandardContent};
use crate::domain::wire_name;
use crate::error::{AppError, AppResult};
use crate::store;
use crate::store::assessments::{AssessmentRow, FindingRow};
use crate::store::certification_bodies::{ApplicationRow, BodyRow};
use crate::store::{from_db_time, to_db_time};

/// Why a second seed is refused.
pub const NOT_EMPTY: &str = "the registry is not empty";

/// The generator's seed: the same registry every time.
const SEED: u64 = 2026;

type Time = DateTime<Utc>;

/// What the seed made, as counts.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub as_of: Time,
    pub agencies: usize,
    pub certification_status: StatusCounts,
    pub certificates: usize,
    pub certification_bodies: BodyCounts,
    pub api_clients: usize,
    pub applications: usize,
    pub assessments: AssessmentCounts,
    pub findings: usize,
    pub corrective_actions: ActionCounts,
    /// What the final sweep as of `as_of` changed.
    pub sweep: SweepCounts,
    pub note: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct StatusCounts {
    pub never_certified: usize,
    pub applicant: usize,
    pub certified: usize,
    pub suspended: usize,
    pub withdrawn: usize,
    pub expired: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct BodyCounts {
    pub accredited: usize,
    pub pending: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct AssessmentCounts {
    pub total: usize,
    pub finalized: usize,
    pub submitted: usize,
    pub draft: usize,
    pub by_kind: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ActionCounts {
    pub total: usize,
    pub open: usize,
    pub plan_submitted: usize,
    pub evidence_submitted: usize,
    pub verified: usize,
    /// Of those not verified, how many are overdue as of `as_of`.
    pub overdue: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct SweepCounts {
    pub suspended: usize,
    pub withdrawn: usize,
    pub expired: usize,
    pub lapsed_applications: usize,
}

/// Seeds the registry in one transaction: all of it is kept, or none.
pub fn run(db: &Db, now: Time) -> AppResult<Summary> {
    db.write_blocking(|c| seed(c, now))
}

/// Seeds the registry inside the caller's transaction. Refuses (409) when it already holds an
/// agency.
pub fn seed(c: &mut DbConnection, now: Time) -> AppResult<Summary> {
    if !store::agencies::search(c, &store::agencies::Filter::default(), None, 1)?.is_empty() {
        return Err(AppError::Conflict(NOT_EMPTY.into()));
    }
    let standard = store::standards::latest_published(c)?
        .ok_or_else(|| AppError::Conflict("there is no published standard to audit against".into()))?;
    let standard = crate::api::standards::content_of(&standard)?;
    let mut seeder = Seeder::new(now, standard);
    seeder.bodies(c)?;
    let agencies = seeder.agencies()?;
    let stories = seeder.stories(agencies.len());
    for (agency, story) in agencies.into_iter().zip(stories) {
        seeder.tell(c, agency, story)?;
    }
    let report = certification::sweep(c, now)?;
    seeder.summary(c, &report)
}

// ---------------------------------------------------------------------------------------------
// Places, names and numbers

#[derive(Clone, Copy)]
enum NameStyle {
    /// `<prefix> <kind> <suffix>`, e.g. "Everest Overseas Manpower Pvt. Ltd.".
    Western,
    /// `PT <a> <b> <c>`, e.g. "PT Duta Insani Sejahtera".
    Indonesian,
}

#[derive(Clone, Copy)]
enum AddressStyle {
    StreetNumber,
    NumberStreet,
    Jalan,
    House,
    Plot,
}

struct City {
    name: &'static str,
    region: Option<&'static str>,
    /// `#` stands for a random digit.
    phone: &'static str,
    /// Short code used in some licence numbers.
    code: &'static str,
    streets: &'static [&'static str],
}

struct Origin {
    code: &'static str,
    agencies: usize,
    currency: &'static str,
    /// Minor units per major unit (ISO 4217 exponent 2, or 0 for UGX).
    minor_per_major: i64,
    /// What a worker is typically charged when fees are charged, in major units.
    typical_fee: f64,
    authority: &'static str,
    licence_years: u32,
    destinations: &'static [&'static str],
    style: NameStyle,
    prefixes: &'static [&'static str],
    kinds: &'static [&'static str],
    suffixes: &'static [&'static str],
    brands: &'static [&'static str],
    address: AddressStyle,
    cities: &'static [City],
}

const ORIGINS: &[Origin] = &[
    Origin {
        code: "NP",
        agencies: 48,
        currency: "NPR",
        minor_per_major: 100,
        typical_fee: 120_000.0,
        authority: "Department of Foreign Employment",
        licence_years: 2,
        destinations: &["QA", "AE", "SA", "MY", "KW"],
        style: NameStyle::Western,
        prefixes: &[
            "Everest",
            "Himalayan",
            "Annapurna",
            "Sagarmatha",
            "Gandaki",
            "Lumbini",
            "Janakpur",
            "Makalu",
            "Dhaulagiri",
            "Bagmati",
            "Koshi",
            "Manaslu",
            "Shikhar",
            "Kanchenjunga",
            "Mahakali",
            "Rara",
            "Trishuli",
            "Langtang",
            "Nilgiri",
            "Phewa",
            "Seti",
            "Karnali",
        ],
        kinds: &[
            "Overseas Manpower",
            "Human Resources",
            "Manpower Services",
            "International Recruitment",
            "Overseas Employment",
            "Global Manpower",
            "Foreign Employment Services",
        ],
        suffixes: &["Pvt. Ltd."],
        brands: &["HR", "Jobs", "Manpower"],
        address: AddressStyle::StreetNumber,
        cities: &[
            City {
                name: "Kathmandu",
                region: Some("Bagmati"),
                phone: "+977 1 4######",
                code: "KTM",
                streets: &["Putalisadak", "Baneshwor", "Maharajgunj", "Samakhusi", "Gaushala", "Sinamangal", "Kalopul"],
            },
            City {
                name: "Lalitpur",
                region: Some("Bagmati"),
                phone: "+977 1 5######",
                code: "LTP",
                streets: &["Kupondole", "Jawalakhel", "Pulchowk"],
            },
        ],
    },
    Origin {
        code: "PH",
        agencies: 54,
        currency: "PHP",
        minor_per_major: 100,
        typical_fee: 30_000.0,
        authority: "Department of Migrant Workers",
        licence_years: 4,
        destinations: &["SA", "AE", "QA", "HK", "SG"],
        style: NameStyle::Western,
        prefixes: &[
            "Bayanihan",
            "Mabuhay",
            "Tala",
            "Kalayaan",
            "Pag-asa",
            "Bituin",
            "Dalisay",
            "Hiraya",
            "Sampaguita",
            "Narra",
            "Bagwis",
            "Liwayway",
            "Tanglaw",
            "Malaya",
            "Sinag",
            "Habagat",
            "Amihan",
            "Santo Niño",
            "Peñafrancia",
            "Dueñas",
            "Montaño",
            "Nuestra Señora",
        ],
        kinds: &[
            "Global Placement",
            "Manpower Services",
            "International Recruitment",
            "Overseas Employment",
            "Human Resource",
            "Workforce Solutions",
            "Placement Agency",
        ],
        suffixes: &["Inc.", "Inc.", "Corp."],
        brands: &["Jobs", "Careers", "Manpower"],
        address: AddressStyle::NumberStreet,
        cities: &[
            City {
                name: "Manila",
                region: Some("Metro Manila"),
                phone: "+63 2 8### ####",
                code: "MNL",
                streets: &["Taft Avenue", "Mabini Street", "United Nations Avenue", "Kalaw Avenue"],
            },
            City {
                name: "Makati",
                region: Some("Metro Manila"),
                phone: "+63 2 8### ####",
                code: "MKT",
                streets: &["Ayala Avenue", "Dela Rosa Street", "Chino Roces Avenue"],
            },
            City {
                name: "Quezon City",
                region: Some("Metro Manila"),
                phone: "+63 2 8### ####",
                code: "QC",
                streets: &["Timog Avenue", "Tomas Morato Avenue", "Kamuning Road"],
            },
            City {
                name: "Pasay",
                region: Some("Metro Manila"),
                phone: "+63 2 8### ####",
                code: "PSY",
                streets: &["Roxas Boulevard", "Libertad Street"],
            },
        ],
    },
    Origin {
        code: "ID",
        agencies: 42,
        currency: "IDR",
        minor_per_major: 100,
        typical_fee: 12_000_000.0,
        authority: "Ministry of Manpower (Kemnaker); placement registered with BP2MI",
        licence_years: 5,
        destinations: &["MY", "SA", "HK", "TW", "SG"],
        style: NameStyle::Indonesian,
        prefixes: &[
            "Nusantara",
            "Garuda",
            "Cahaya",
            "Bintang",
            "Mitra",
            "Samudra",
            "Bina",
            "Sumber",
            "Putra",
            "Duta",
            "Arta",
            "Graha",
            "Sinar",
            "Tunas",
        ],
        kinds: &["Karya", "Tenaga", "Insani", "Jaya", "Sentosa", "Abadi", "Mulia", "Prima", "Bakti", "Citra"],
        suffixes: &["Mandiri", "Sejahtera", "Utama", "Perkasa", "Lestari", "Makmur", "Internasional"],
        brands: &["Karir", "Kerja", "Global"],
        address: AddressStyle::Jalan,
        cities: &[
            City {
                name: "Jakarta Timur",
                region: Some("DKI Jakarta"),
                phone: "+62 21 #### ####",
                code: "JKT",
                streets: &["Jalan Raya Bogor", "Jalan Condet Raya", "Jalan Dewi Sartika"],
            },
            City {
                name: "Jakarta Selatan",
                region: Some("DKI Jakarta"),
                phone: "+62 21 #### ####",
                code: "JKT",
                streets: &["Jalan Pasar Minggu", "Jalan Warung Buncit Raya"],
            },
            City {
                name: "Surabaya",
                region: Some("Jawa Timur"),
                phone: "+62 31 #### ####",
                code: "SBY",
                streets: &["Jalan Ahmad Yani", "Jalan Raya Darmo"],
            },
            City {
                name: "Malang",
                region: Some("Jawa Timur"),
                phone: "+62 341 ### ####",
                code: "MLG",
                streets: &["Jalan Soekarno-Hatta", "Jalan Ijen"],
            },
        ],
    },
    Origin {
        code: "BD",
        agencies: 42,
        currency: "BDT",
        minor_per_major: 100,
        typical_fee: 380_000.0,
        authority: "Bureau of Manpower, Employment and Training (BMET)",
        licence_years: 3,
        destinations: &["AE", "SA", "MY", "QA", "OM"],
        style: NameStyle::Western,
        prefixes: &[
            "Padma",
            "Meghna",
            "Jamuna",
            "Sonar Bangla",
            "Rupasi Bangla",
            "Surma",
            "Karnaphuli",
            "Sundarban",
            "Shapla",
            "Teesta",
            "Dhaleshwari",
            "Madhumati",
            "Bhairab",
            "Atrai",
            "Ichamati",
            "Kushiyara",
            "Gorai",
        ],
        kinds: &[
            "Human Resources",
            "Overseas",
            "International",
            "Manpower Services",
            "Recruiting Agency",
            "Overseas Employment",
        ],
        suffixes: &["Ltd."],
        brands: &["Manpower", "Overseas", "HR"],
        address: AddressStyle::House,
        cities: &[City {
            name: "Dhaka",
            region: Some("Dhaka Division"),
            phone: "+880 2 55######",
            code: "DHK",
            streets: &["Purana Paltan", "Naya Paltan", "Kakrail", "Banani Road 11", "Gulshan Avenue", "Bijoynagar"],
        }],
    },
    Origin {
        code: "IN",
        agencies: 36,
        currency: "INR",
        minor_per_major: 100,
        typical_fee: 75_000.0,
        authority: "Protector General of Emigrants",
        licence_years: 5,
        destinations: &["AE", "SA", "QA", "KW", "OM", "BH"],
        style: NameStyle::Western,
        prefixes: &[
            "Ganga",
            "Sahyadri",
            "Kaveri",
            "Malabar",
            "Deccan",
            "Konkan",
            "Narmada",
            "Vindhya",
            "Coromandel",
            "Saraswati",
            "Godavari",
            "Tapti",
            "Aravalli",
            "Satpura",
            "Periyar",
            "Mahanadi",
        ],
        kinds: &[
            "Overseas Consultants",
            "Manpower Services",
            "HR Solutions",
            "Placement Services",
            "Global Recruiters",
            "Overseas Placements",
        ],
        suffixes: &["Pvt. Ltd.", "Pvt. Ltd.", "LLP"],
        brands: &["Careers", "Overseas", "HR"],
        address: AddressStyle::NumberStreet,
        cities: &[
            City {
                name: "Mumbai",
                region: Some("Maharashtra"),
                phone: "+91 22 #### ####",
                code: "MUM",
                streets: &["Mohammed Ali Road", "Andheri Kurla Road", "Dr. D. N. Road"],
            },
            City {
                name: "New Delhi",
                region: Some("Delhi"),
                phone: "+91 11 #### ####",
                code: "DEL",
                streets: &["Nehru Place", "Karol Bagh", "Connaught Place"],
            },
            City {
                name: "Kochi",
                region: Some("Kerala"),
                phone: "+91 484 ### ####",
                code: "KOC",
                streets: &["M. G. Road", "Kaloor-Kadavanthra Road"],
            },
            City {
                name: "Chennai",
                region: Some("Tamil Nadu"),
                phone: "+91 44 #### ####",
                code: "CHE",
                streets: &["Anna Salai", "Egmore High Road"],
            },
            City {
                name: "Hyderabad",
                region: Some("Telangana"),
                phone: "+91 40 #### ####",
                code: "HYD",
                streets: &["Abids Road", "Banjara Hills Road No. 1"],
            },
            City {
                name: "Lucknow",
                region: Some("Uttar Pradesh"),
                phone: "+91 522 ### ####",
                code: "LKO",
                streets: &["Hazratganj", "Vidhan Sabha Marg"],
            },
        ],
    },
    Origin {
        code: "LK",
        agencies: 24,
        currency: "LKR",
        minor_per_major: 100,
        typical_fee: 220_000.0,
        authority: "Sri Lanka Bureau of Foreign Employment",
        licence_years: 2,
        destinations: &["AE", "SA", "QA", "KW", "OM"],
        style: NameStyle::Western,
        prefixes: &[
            "Serendib",
            "Ruhuna",
            "Sigiri",
            "Mahaweli",
            "Kelani",
            "Ceylon Pearl",
            "Nilaveli",
            "Lanka Sapphire",
            "Kandyan",
            "Dambulla",
            "Ella",
            "Yala",
            "Mannar",
            "Polonnaruwa",
        ],
        kinds: &["Foreign Employment Agency", "Manpower", "Overseas Services", "Recruiters", "Employment Services"],
        suffixes: &["(Pvt) Ltd"],
        brands: &["Jobs", "Overseas", "Careers"],
        address: AddressStyle::NumberStreet,
        cities: &[
            City {
                name: "Colombo",
                region: Some("Western Province"),
                phone: "+94 11 2### ###",
                code: "CMB",
                streets: &[
                    "Galle Road, Colombo 03",
                    "Duplication Road, Colombo 04",
                    "Union Place, Colombo 02",
                    "Havelock Road, Colombo 05",
                ],
            },
            City {
                name: "Kandy",
                region: Some("Central Province"),
                phone: "+94 81 2### ###",
                code: "KDY",
                streets: &["Peradeniya Road", "Dalada Veediya"],
            },
        ],
    },
    Origin {
        code: "ET",
        agencies: 18,
        currency: "ETB",
        minor_per_major: 100,
        typical_fee: 55_000.0,
        authority: "Ministry of Labour and Skills",
        licence_years: 2,
        destinations: &["SA", "AE", "KW", "QA"],
        style: NameStyle::Western,
        prefixes: &[
            "Abay",
            "Entoto",
            "Lalibela",
            "Axum",
            "Tana",
            "Simien",
            "Gondar",
            "Harar",
            "Awash",
            "Selam",
            "Meskel",
            "Wabe",
            "Genet",
            "Abyssinia Star",
        ],
        kinds: &[
            "Foreign Employment Agency",
            "Overseas Employment Agency",
            "Private Employment Agency",
            "Recruitment Services",
        ],
        suffixes: &["PLC"],
        brands: &["Jobs", "Employment", "Overseas"],
        address: AddressStyle::House,
        cities: &[City {
            name: "Addis Ababa",
            region: None,
            phone: "+251 11 5## ####",
            code: "AA",
            streets: &["Bole Road", "Kazanchis", "Megenagna", "Churchill Avenue", "Piassa"],
        }],
    },
    Origin {
        code: "KE",
        agencies: 18,
        currency: "KES",
        minor_per_major: 100,
        typical_fee: 85_000.0,
        authority: "National Employment Authority",
        licence_years: 2,
        destinations: &["SA", "AE", "QA", "OM", "BH"],
        style: NameStyle::Western,
        prefixes: &[
            "Kilima",
            "Rift Valley",
            "Savannah",
            "Jambo",
            "Baraka",
            "Nyota",
            "Amani",
            "Pwani",
            "Mlima",
            "Kisima",
            "Upendo",
            "Tumaini",
            "Faraja",
            "Zawadi",
        ],
        kinds: &[
            "Recruitment Agency",
            "Manpower Services",
            "Overseas Placement",
            "HR Consultants",
            "Employment Bureau",
        ],
        suffixes: &["Ltd"],
        brands: &["Jobs", "Careers", "Placement"],
        address: AddressStyle::Plot,
        cities: &[
            City {
                name: "Nairobi",
                region: Some("Nairobi County"),
                phone: "+254 20 ### ####",
                code: "NBO",
                streets: &["Moi Avenue", "Kenyatta Avenue", "Ngong Road", "Westlands Road"],
            },
            City {
                name: "Mombasa",
                region: Some("Mombasa County"),
                phone: "+254 41 ### ####",
                code: "MBA",
                streets: &["Nkrumah Road", "Digo Road"],
            },
        ],
    },
    Origin {
        code: "UG",
        agencies: 18,
        currency: "UGX",
        minor_per_major: 1,
        typical_fee: 3_200_000.0,
        authority: "Ministry of Gender, Labour and Social Development",
        licence_years: 2,
        destinations: &["SA", "AE", "QA", "OM", "KW"],
        style: NameStyle::Western,
        prefixes: &[
            "Rwenzori",
            "Kabalega",
            "Victoria Crest",
            "Elgon",
            "Bwindi",
            "Kyoga",
            "Budongo",
            "Karamoja",
            "Kigezi",
            "Mpanga",
            "Sipi",
            "Ssese",
            "Kazinga",
            "Murchison",
        ],
        kinds: &[
            "External Employment Agency",
            "Labour Export Services",
            "Recruitment Services",
            "Manpower Agency",
            "Overseas Placement",
        ],
        suffixes: &["Ltd"],
        brands: &["Jobs", "Placement", "Overseas"],
        address: AddressStyle::Plot,
        cities: &[City {
            name: "Kampala",
            region: None,
            phone: "+256 41 4## ####",
            code: "KLA",
            streets: &["Kampala Road", "Jinja Road", "Bombo Road", "Kira Road", "Lumumba Avenue"],
        }],
    },
];

fn country_name(code: &str) -> &'static str {
    match code {
        "AE" => "the UAE",
        "SA" => "Saudi Arabia",
        "QA" => "Qatar",
        "KW" => "Kuwait",
        "OM" => "Oman",
        "BH" => "Bahrain",
        "MY" => "Malaysia",
        "HK" => "Hong Kong",
        "SG" => "Singapore",
        "TW" => "Taiwan",
        _ => "the destination country",
    }
}

/// Sectors that fit a corridor.
fn sector_pool(origin: &str, destination: &str) -> &'static [Sector] {
    use Sector::*;
    match (origin, destination) {
        ("PH", "HK" | "SG") => &[DomesticWork, Care, Hospitality, Healthcare],
        ("PH", _) => &[DomesticWork, Healthcare, Hospitality, Construction, OilGas, Retail],
        ("ID", "TW") => &[DomesticWork, Care, Manufacturing, Fishing],
        ("ID", "HK" | "SG") => &[DomesticWork, Care],
        ("ID", "MY") => &[Agriculture, Manufacturing, DomesticWork, Construction],
        ("ID", _) => &[DomesticWork, Hospitality, Cleaning],
        ("NP" | "BD", "MY") => &[Manufacturing, Security, Construction, Agriculture],
        ("NP", _) => &[Construction, Security, Hospitality, Cleaning, TransportLogistics, Retail],
        ("BD", _) => &[Construction, Cleaning, Manufacturing, Hospitality, TransportLogistics],
        ("IN", _) => &[Construction, OilGas, Healthcare, Hospitality, TransportLogistics, Retail, Manufacturing],
        ("LK", _) => &[DomesticWork, Hospitality, Construction, Care, Security],
        _ => &[DomesticWork, Security, Cleaning, Hospitality, TransportLogistics, Care],
    }
}

struct BodySpec {
    name: &'static str,
    short: &'static str,
    country: &'static str,
    site: &'static str,
    accredited: bool,
}

const BODIES: &[BodySpec] = &[
    BodySpec {
        name: "Arabian Gulf Social Compliance Certification LLC",
        short: "AGSC",
        country: "AE",
        site: "agsc-cert",
        accredited: true,
    },
    BodySpec {
        name: "Doha Fair Labour Assessment WLL",
        short: "DFLA",
        country: "QA",
        site: "dfla-assess",
        accredited: true,
    },
    BodySpec {
        name: "Selat Ethical Recruitment Auditors Sdn. Bhd.",
        short: "SERA",
        country: "MY",
        site: "sera-audit",
        accredited: true,
    },
    BodySpec {
        name: "Pacific Rim Labour Standards Certification Inc.",
        short: "PRLS",
        country: "PH",
        site: "prls-cert",
        accredited: true,
    },
    BodySpec {
        name: "East Africa Recruitment Integrity Assessors Ltd",
        short: "EARIA",
        country: "KE",
        site: "earia",
        accredited: false,
    },
];

// ---------------------------------------------------------------------------------------------
// Findings: what auditors write

/// The gap an auditor describes when a criterion is not fully met.
fn gap(code: &str) -> &'static str {
    match code {
        "A.1" => "the register of recruitment and labour rules was not updated for the latest changes at destination",
        "A.2" => "a branch office recruited while its registration renewal was still pending",
        "A.3" => "placements are not checked for signs of forced labour and welfare calls are not recorded",
        "A.4" => "age was confirmed from a school certificate instead of an official identity document",
        "A.5" => "job orders specifying sex and religion were accepted from employer-clients without challenge",
        "B.1" => "the code of conduct was not reviewed this year and names no responsible manager",
        "B.2" => "due diligence on repeat employer-clients is not recorded",
        "B.3" => "sub-agents are not bound in writing to the standard and their recruitment is not monitored",
        "B.4" => "no register of gifts and payments is kept",
        "B.5" => "social-media advertisements did not show the agency's licence number",
        "B.6" => "training records are missing for staff who joined in the last year",
        "C.1" => "workers paid for costs that the employer should have borne",
        "C.2" => "wage deductions recovering recruitment costs were not challenged with the employer",
        "C.3" => "employer agreements do not state that the employer pays all recruitment costs",
        "C.4" => "repayment of fees found charged to workers is not evidenced",
        "C.5" => "the 'you owe nothing' notice is given orally only, not in writing in the candidate's language",
        "D.1" => "documents are held for visa steps without written consent or a return log",
        "D.2" => "employer agreements do not forbid holding workers' documents and there is no check after placement",
        "D.3" => "candidates who withdraw are told to repay costs already incurred",
        "D.4" => "candidates are asked for a refundable 'registration deposit'",
        "E.1" => "job information omits lawful deductions and accommodation details",
        "E.2" => "contracts are explained in English only and copies were handed over at the airport",
        "E.3" => "nobody checks after arrival that the contract signed before departure is the one applied",
        "E.4" => "the pre-departure orientation does not say where to seek help at destination",
        "F.1" => "registration forms collect religion and family details that recruitment does not need",
        "F.2" => "candidate files are kept in unlocked cabinets and shared by email without a stated purpose",
        "F.3" => "no retention periods are set; files of rejected candidates are kept indefinitely",
        "F.4" => "staff who handle personal data are not trained and there is no breach log",
        "G.1" => "the grievance hotline is not free of charge and not available in workers' languages",
        "G.2" => "workers are not told after arrival how to reach the grievance mechanism or outside help",
        "G.3" => "there is no written protection against retaliation for workers who complain",
        "G.4" => "grievances take more than 60 days to look into and outcomes are not communicated",
        "G.5" => "the grievance log is incomplete and has never been reviewed",
        _ => "the requirement is not met consistently",
    }
}

fn principle_of(code: &str) -> char {
    code.chars().next().unwrap_or('?')
}

fn improvement(code: &str) -> &'static str {
    match principle_of(code) {
        'A' => "keep the corridor legal register in one place with a named owner",
        'B' => "date each review of employer-clients and sub-agents",
        'C' => "publish the employer-pays policy on the agency's website and notice boards",
        'D' => "log the time documents handled for visa steps are returned",
        'E' => "add a worked wage example to job information sheets",
        'F' => "set a schedule for deleting the files of rejected candidates",
        _ => "analyse grievance trends every quarter",
    }
}

fn plan_text(code: &str) -> String {
    let fix = match principle_of(code) {
        'A' => "Update the corridor legal register, name an owner and check it monthly",
        'B' => "Revise the procedure, retrain the staff involved and review compliance every month",
        'C' => {
            "Repay the workers concerned in full, amend employer agreements and brief every sub-agent on the \
             employer-pays rule"
        }
        'D' => {
            "Return every document held, adopt a consent and return log, and add a document clause to employer agreements"
        }
        'E' => {
            "Revise job information and contract templates in workers' languages and add a post-arrival contract check"
        }
        'F' => "Restrict file access, set retention periods and train the staff who handle personal data",
        _ => "Relaunch the grievance channel in workers' languages, free of charge, and review cases monthly",
    };
    format!("{code}: {fix}. Owner: compliance manager.")
}

fn evidence_text(code: &str) -> String {
    let what = match principle_of(code) {
        'A' => "updated register signed off by the director, and licence copies for every office",
        'B' => "revised procedure, training attendance sheets and the first monthly review",
        'C' => "bank transfer records of repayments, amended employer agreements and sub-agent briefing records",
        'D' => "return log signed by the workers, consent forms and amended employer agreements",
        'E' => "revised templates and records of post-arrival contract checks",
        'F' => "access list, retention schedule and training records",
        _ => "hotline posters in workers' languages, the grievance log and minutes of the monthly review",
    };
    format!("{code}: {what}.")
}

fn conformant_text(code: &str, workers: u32, files: u32) -> String {
    match (principle_of(code), workers > 0) {
        ('A', _) => format!(
            "Licences valid; the legal register covers every corridor served; {files} candidate files sampled, ages \
             verified from passports."
        ),
        ('B', _) => "Code of conduct, employer-client vetting and sub-agent records reviewed; consistent with \
                     management and staff interviews."
            .into(),
        ('C', true) => format!(
            "No fees or related costs found: {workers} workers interviewed; receipts and bank records in {files} files \
             reviewed."
        ),
        ('C', false) => {
            format!(
                "Employer agreements and the price list put every recruitment cost on the employer; {files} files reviewed."
            )
        }
        ('D', true) => {
            format!("Workers hold their own passports and documents; confirmed by {workers} workers interviewed.")
        }
        ('D', false) => "Document-handling procedure with written consent and a return log in place.".into(),
        ('E', true) => format!(
            "Job information and contracts in workers' languages reviewed; terms confirmed at destination by {workers} \
             workers interviewed."
        ),
        ('E', false) => {
            format!("Job information sheets and contract templates in workers' languages reviewed ({files} files).")
        }
        ('F', _) => "Data protection policy, access controls, retention schedule and consent forms reviewed.".into(),
        ('G', true) => {
            format!("Grievance channel tested and log reviewed; {workers} workers interviewed knew how to use it.")
        }
        _ => "Grievance procedure, hotline and log reviewed.".into(),
    }
}

fn fee_label(category: FeeCategory) -> &'static str {
    match category {
        FeeCategory::RecruitmentFee => "recruitment fee",
        FeeCategory::Medical => "medical check",
        FeeCategory::Insurance => "insurance",
        FeeCategory::SkillsTest => "skills test",
        FeeCategory::TrainingOrientation => "pre-departure training",
        FeeCategory::Equipment => "equipment",
        FeeCategory::TravelLodging => "travel and lodging",
        FeeCategory::Administrative => "administrative charges",
        FeeCategory::Illegitimate => "a 'guarantee' deposit",
    }
}

/// `NPR 12,500` from minor units.
fn money(amount_minor: i64, currency: &str, minor_per_major: i64) -> String {
    let major = (amount_minor / minor_per_major.max(1)).to_string();
    let mut grouped = String::new();
    for (i, digit) in major.chars().enumerate() {
        if i > 0 && (major.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{currency} {grouped}")
}

fn fee_list(fees: &[FeeAmount], origin: &Origin) -> String {
    fees.iter()
        .map(|f| format!("{} ({})", money(f.amount_minor, &f.currency, origin.minor_per_major), fee_label(f.category)))
        .collect::<Vec<_>>()
        .join(" and ")
}

// ---------------------------------------------------------------------------------------------
// Stories

/// Where an agency's story takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Story {
    NeverCertified,
    Pending,
    Deferred { lapsed: bool },
    InStage1 { submitted: bool },
    InStage2 { submitted: bool },
    FailedStage2,
    Certified,
    SuspendedCritical,
    SuspendedOverdueMajor,
    SuspendedSurveillanceOverdue,
    WithdrawnCritical,
    WithdrawnOverdueMajor,
    WithdrawnSurveillanceOverdue,
    Expired { recertification_started: bool },
}

/// How many agencies tell each story (300 in all): about 25 % never certified, 15 % applicants,
/// 35 % certified, 8 % suspended, 7 % withdrawn, 10 % expired.
const STORIES: &[(Story, usize)] = &[
    (Story::NeverCertified, 75),
    (Story::Pending, 8),
    (Story::Deferred { lapsed: false }, 4),
    (Story::Deferred { lapsed: true }, 2),
    (Story::InStage1 { submitted: false }, 6),
    (Story::InStage1 { submitted: true }, 6),
    (Story::InStage2 { submitted: false }, 5),
    (Story::InStage2 { submitted: true }, 5),
    (Story::FailedStage2, 9),
    (Story::Certified, 105),
    (Story::SuspendedCritical, 10),
    (Story::SuspendedOverdueMajor, 10),
    (Story::SuspendedSurveillanceOverdue, 4),
    (Story::WithdrawnCritical, 9),
    (Story::WithdrawnOverdueMajor, 7),
    (Story::WithdrawnSurveillanceOverdue, 5),
    (Story::Expired { recertification_started: false }, 22),
    (Story::Expired { recertification_started: true }, 8),
];

/// Agencies that also file a self-assessment, per story.
const SELF_ASSESSMENTS: &[(Story, usize)] = &[(Story::NeverCertified, 3), (Story::Pending, 1), (Story::Certified, 2)];

/// How findings are drawn: weights of conformant, observation, minor and major (per 100).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Profile {
    SelfAssessment,
    Stage1,
    /// An agency that meets the standard: at least the certification minimum, no major finding
    /// on a critical criterion.
    Pass,
    /// An agency that does not (yet): below the minimum or with major findings.
    Weak,
}

impl Profile {
    fn weights(self) -> [u32; 4] {
        match self {
            Profile::SelfAssessment => [80, 16, 4, 0],
            Profile::Stage1 => [62, 22, 14, 2],
            Profile::Pass => [70, 20, 9, 1],
            Profile::Weak => [42, 14, 27, 17],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    Draft,
    Submitted,
    Finalized,
}

/// How far an agency gets with a corrective action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Reach {
    Nothing,
    Plan,
    Evidence,
    Verified,
}

struct AuditSpec<'f> {
    body: Option<usize>,
    kind: AssessmentKind,
    profile: Profile,
    at: Time,
    stop: Stop,
    forced: &'f [(&'static str, Severity)],
}

/// The dates of the way to a first certificate, planned backwards from the decision.
struct Track {
    applied: Time,
    stage1: Time,
    stage2: Time,
    target: Time,
}

struct DemoBody {
    id: String,
    name: String,
    auditor: String,
    certifier: String,
    certifier_ref: String,
}

struct DemoAgency {
    id: String,
    origin: &'static Origin,
    input: AgencyInput,
    self_assessment: bool,
    own_client: Option<String>,
}

#[derive(Default)]
struct Tally {
    clients: usize,
    applications: usize,
    findings: usize,
}

struct Seeder {
    rng: StdRng,
    now: Time,
    standard: StandardContent,
    bodies: Vec<DemoBody>,
    pending_bodies: usize,
    tally: Tally,
}

fn days(n: i64) -> Duration {
    Duration::days(n)
}

fn months_before(t: Time, months: u32) -> Time {
    t.checked_sub_months(Months::new(months)).unwrap_or(t)
}

fn internal(what: impl std::fmt::Display) -> AppError {
    AppError::internal(format!("demo seed: {what}"))
}

impl Seeder {
    fn new(now: Time, standard: StandardContent) -> Seeder {
        Seeder {
            rng: StdRng::seed_from_u64(SEED),
            now,
            standard,
            bodies: Vec::new(),
            pending_bodies: 0,
            tally: Tally::default(),
        }
    }

    // --- time ---------------------------------------------------------------------------------

    /// `t`'s day, at a minute of the working day in the origin countries (02:00 to 11:00 UTC).
    fn working_hours(&mut self, t: Time) -> Time {
        let day = t.date_naive().and_hms_opt(2, 0, 0).unwrap_or_default().and_utc();
        day + Duration::minutes(self.rng.gen_range(0..=540))
    }

    fn days_ago(&mut self, lo: i64, hi: i64) -> Time {
        let t = self.now - days(self.rng.gen_range(lo..=hi));
        self.working_hours(t).min(self.now - Duration::minutes(5))
    }

    /// `lo` to `hi` days (at least one) after `t`.
    fn after(&mut self, t: Time, lo: i64, hi: i64) -> Time {
        let t = t + days(self.rng.gen_range(lo.max(1)..=hi.max(1)));
        self.working_hours(t)
    }

    /// `lo` to `hi` days (at least one) before `t`.
    fn before(&mut self, t: Time, lo: i64, hi: i64) -> Time {
        let t = t - days(self.rng.gen_range(lo.max(1)..=hi.max(1)));
        self.working_hours(t)
    }

    /// `t`, or a day or two ago if `t` is not safely in the past.
    fn in_past(&mut self, t: Time) -> Time {
        if t < self.now - Duration::hours(6) { t } else { self.days_ago(1, 2) }
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        *items.choose(&mut self.rng).expect("a non-empty list")
    }

    fn digits(&mut self, pattern: &str) -> String {
        pattern.chars().map(|c| if c == '#' { char::from(b'0' + self.rng.gen_range(0..10u8)) } else { c }).collect()
    }

    // --- bodies and their people ---------------------------------------------------------------

    fn bodies(&mut self, c: &mut DbConnection) -> AppResult<()> {
        for spec in BODIES {
            let created = self.days_ago(1500, 1600);
            let row = BodyRow {
                id: Uuid::now_v7().to_string(),
                name: spec.name.into(),
                country: spec.country.into(),
                website: Some(format!("https://{}.example.com", spec.site)),
                accreditation_status: wire_name(&if spec.accredited {
                    AccreditationStatus::Accredited
                } else {
                    AccreditationStatus::Pending
                }),
                accredited_until: if spec.accredited {
                    Some((self.now + days(self.rng.gen_range(200..=1000))).date_naive())
                } else {
                    None
                },
                version: 1,
                created_at: to_db_time(created),
                updated_at: to_db_time(created),
            };
            store::certification_bodies::insert(c, &row)?;
            if !spec.accredited {
                self.pending_bodies += 1;
                continue;
            }
            let auditor_ref = format!("{}-AUD-{:02}", spec.short, self.rng.gen_range(10..=99));
            let certifier_ref = format!("{}-CRT-{:02}", spec.short, self.rng.gen_range(10..=99));
            let joined = self.after(created, 5, 30);
            let auditor = self.client(
                c,
                format!("{} lead auditor (demo)", spec.short),
                Role::Auditor,
                &row.id,
                &auditor_ref,
                joined,
            )?;
            let certifier = self.client(
                c,
                format!("{} certification decisions (demo)", spec.short),
                Role::Certifier,
                &row.id,
                &certifier_ref,
                joined,
            )?;
            self.bodies.push(DemoBody { id: row.id, name: row.name, auditor, certifier, certifier_ref });
        }
        Ok(())
    }

    fn client(
        &mut self,
        c: &mut DbConnection,
        name: String,
        role: Role,
        body_id: &str,
        person_ref: &str,
        at: Time,
    ) -> AppResult<String> {
        self.new_client(
            c,
            ClientInput {
                name,
                role,
                certification_body_id: Some(body_id.into()),
                agency_id: None,
                person_ref: Some(person_ref.into()),
            },
            at,
        )
    }

    /// A client through the same path as `client create`. Its secret is never shown: demo
    /// clients cannot log in.
    fn new_client(&mut self, c: &mut DbConnection, input: ClientInput, at: Time) -> AppResult<String> {
        input.validate().map_err(internal)?;
        let created = create_client(c, input, NewSecret::generate()?, None, at)?;
        self.tally.clients += 1;
        Ok(created.client.client_id)
    }

    fn body_for(&mut self, agency: &DemoAgency) -> usize {
        const GULF_AE: usize = 0;
        const GULF_QA: usize = 1;
        const ASIA: usize = 2;
        const PHILIPPINES: usize = 3;
        let destinations = &agency.input.destination_countries;
        let asia = destinations.iter().any(|d| matches!(d.as_str(), "MY" | "SG" | "HK" | "TW"));
        if agency.origin.code == "PH" && self.rng.gen_bool(0.75) {
            PHILIPPINES
        } else if (agency.origin.code == "ID" || asia) && self.rng.gen_bool(0.7) {
            ASIA
        } else if destinations.iter().any(|d| d == "QA") && self.rng.gen_bool(0.5) {
            GULF_QA
        } else {
            self.pick(&[GULF_AE, GULF_QA])
        }
    }

    // --- the registry --------------------------------------------------------------------------

    /// Every agency's registration data, in a random order of origins.
    fn agencies(&mut self) -> AppResult<Vec<DemoAgency>> {
        let mut origins: Vec<&'static Origin> =
            ORIGINS.iter().flat_map(|o| std::iter::repeat_n(o, o.agencies)).collect();
        origins.shuffle(&mut self.rng);
        let mut names = BTreeSet::new();
        let mut licences = BTreeSet::new();
        let mut out = Vec::with_capacity(origins.len());
        for origin in origins {
            let input = self.agency_input(origin, &mut names, &mut licences);
            input.validate().map_err(|e| internal(format!("agency {}: {e}", input.legal_name)))?;
            out.push(DemoAgency { id: String::new(), origin, input, self_assessment: false, own_client: None });
        }
        Ok(out)
    }

    fn agency_input(
        &mut self,
        origin: &'static Origin,
        names: &mut BTreeSet<String>,
        licences: &mut BTreeSet<String>,
    ) -> AgencyInput {
        let (legal_name, brand) = loop {
            let prefix = self.pick(origin.prefixes);
            let kind = self.pick(origin.kinds);
            let suffix = self.pick(origin.suffixes);
            let (name, brand) = match origin.style {
                NameStyle::Western => (format!("{prefix} {kind} {suffix}"), prefix),
                NameStyle::Indonesian if prefix == suffix => continue,
                NameStyle::Indonesian => (format!("PT {prefix} {kind} {suffix}"), prefix),
            };
            if names.insert(fold_for_search(&name)) {
                break (name, brand);
            }
        };
        let trading_names = if self.rng.gen_bool(0.3) {
            let word = self.pick(origin.brands);
            vec![format!("{brand} {word}")]
        } else {
            Vec::new()
        };
        let city = origin.cities.choose(&mut self.rng).expect("cities");
        let today = self.now.date_naive();
        let (number, valid_from, valid_until) = loop {
            let issued = today - days(self.rng.gen_range(30..=1000));
            let number = self.licence_number(origin, city, issued);
            if licences.insert(licence_key(&number)) {
                let term = Months::new(12 * origin.licence_years);
                let mut from = issued;
                let mut until = issued.checked_add_months(term).unwrap_or(issued);
                // A licence that ran out was renewed under the same number.
                while until < today + days(20) {
                    from = until;
                    until = until.checked_add_months(term).unwrap_or(until);
                }
                break (number, from, until);
            }
        };
        let mut destinations: Vec<&str> = origin.destinations.to_vec();
        destinations.shuffle(&mut self.rng);
        destinations.truncate(self.rng.gen_range(1..=3));
        let mut pool: Vec<Sector> = Vec::new();
        for d in &destinations {
            for s in sector_pool(origin.code, d) {
                if !pool.contains(s) {
                    pool.push(*s);
                }
            }
        }
        pool.shuffle(&mut self.rng);
        pool.truncate(self.rng.gen_range(1..=3));
        let street = self.pick(city.streets);
        let n = self.rng.gen_range(2..=480);
        let line1 = match origin.address {
            AddressStyle::StreetNumber => format!("{street} {n}"),
            AddressStyle::NumberStreet => format!("{n} {street}"),
            AddressStyle::Jalan => format!("{street} No. {n}"),
            AddressStyle::House => format!("House {n}, {street}"),
            AddressStyle::Plot => format!("Plot {n}, {street}"),
        };
        let slug = slug(&legal_name);
        let website = self.rng.gen_bool(0.75).then(|| format!("https://{slug}.example.com"));
        let mailbox = self.pick(&["info", "compliance", "recruitment", "hr"]);
        let contact_email = self.rng.gen_bool(0.9).then(|| format!("{mailbox}@{slug}.example.com"));
        let contact_phone = if self.rng.gen_bool(0.85) { Some(self.digits(city.phone)) } else { None };
        AgencyInput {
            legal_name,
            trading_names,
            licence: Licence {
                number,
                issuing_authority: origin.authority.into(),
                country: origin.code.into(),
                valid_from: Some(valid_from),
                valid_until: Some(valid_until),
            },
            origin_countries: vec![origin.code.into()],
            destination_countries: destinations.iter().map(|d| d.to_string()).collect(),
            sectors: pool,
            address: Some(Address {
                line1,
                line2: None,
                city: city.name.into(),
                region: city.region.map(str::to_owned),
                postal_code: None,
                country: origin.code.into(),
            }),
            website,
            contact_email,
            contact_phone,
        }
    }

    /// A licence number in the issuing country's style.
    fn licence_number(&mut self, origin: &Origin, city: &City, issued: NaiveDate) -> String {
        let year = issued.year();
        let r = &mut self.rng;
        match origin.code {
            // Nepal numbers its licences with the Bikram Sambat year (about 57 years ahead).
            "NP" => format!("DoFE-{:04}/{}", r.gen_range(100..=1999), year + 57),
            "PH" => format!(
                "DMW-{:03}-LB-{:02}{:02}{:02}-R",
                r.gen_range(1..=999),
                issued.month(),
                issued.day(),
                year % 100
            ),
            "ID" => format!("SIP3MI-{:03}/KEMNAKER/{year}", r.gen_range(1..=650)),
            "BD" => format!("RL-{}", r.gen_range(100..=2900)),
            "IN" => format!(
                "B-{:04}/{}/PER/1000+/5/{}/{year}",
                r.gen_range(100..=3500),
                city.code,
                r.gen_range(1000..=9999)
            ),
            "LK" => format!("SLBFE/RA/{:04}", r.gen_range(100..=3200)),
            "ET" => format!("MoLS/PEA/{:03}/{year}", r.gen_range(1..=999)),
            "KE" => format!("NEA/PEA/{:04}/{year}", r.gen_range(1..=1800)),
            _ => format!("EEL/{:03}/{year}", r.gen_range(1..=450)),
        }
    }

    /// Which agency tells which story (and which ones also assess themselves).
    fn stories(&mut self, count: usize) -> Vec<(Story, bool)> {
        let mut stories: Vec<Story> = STORIES.iter().flat_map(|(s, n)| std::iter::repeat_n(*s, *n)).collect();
        stories.resize(count, Story::NeverCertified);
        stories.shuffle(&mut self.rng);
        let mut left: Vec<(Story, usize)> = SELF_ASSESSMENTS.to_vec();
        stories
            .into_iter()
            .map(|story| {
                let own = left.iter_mut().find(|(s, n)| *s == story && *n > 0);
                let self_assessment = own.map(|(_, n)| *n -= 1).is_some();
                (story, self_assessment)
            })
            .collect()
    }

    fn register(&mut self, c: &mut DbConnection, a: &mut DemoAgency, created: Time) -> AppResult<()> {
        a.id = Uuid::now_v7().to_string();
        let row = a.input.clone().into_new_row(a.id.clone(), created);
        store::agencies::insert(c, &row)
    }

    // --- the stories ---------------------------------------------------------------------------

    fn tell(
        &mut self,
        c: &mut DbConnection,
        mut a: DemoAgency,
        (story, self_assessment): (Story, bool),
    ) -> AppResult<()> {
        a.self_assessment = self_assessment;
        let body = self.body_for(&a);
        let now = self.now;
        match story {
            Story::NeverCertified => {
                let assessed = self.days_ago(5, 300);
                let created = if a.self_assessment { self.before(assessed, 60, 700) } else { self.days_ago(3, 1400) };
                self.register(c, &mut a, created)?;
                if a.self_assessment {
                    self.self_assessment(c, &mut a, assessed)?;
                }
            }
            Story::Pending => {
                let applied = self.days_ago(2, 40);
                self.begin(c, &mut a, applied)?;
                self.apply(c, &a, body, applied, ApplicationStatus::Pending)?;
            }
            Story::Deferred { lapsed } => {
                let applied = if lapsed { self.days_ago(90, 150) } else { self.days_ago(15, 50) };
                self.begin(c, &mut a, applied)?;
                self.apply(c, &a, body, applied, ApplicationStatus::Deferred)?;
            }
            Story::InStage1 { submitted } => {
                let applied = self.days_ago(25, 90);
                self.begin(c, &mut a, applied)?;
                let accepted = self.apply(c, &a, body, applied, ApplicationStatus::Accepted)?;
                let at = self.after(accepted, 10, 40);
                let at = self.in_past(at);
                let stop = if submitted { Stop::Submitted } else { Stop::Draft };
                self.audit(c, &a, AuditSpec::of(body, AssessmentKind::Stage1, Profile::Stage1, at, stop))?;
            }
            Story::InStage2 { submitted } => {
                let applied = self.days_ago(100, 220);
                self.begin(c, &mut a, applied)?;
                let accepted = self.apply(c, &a, body, applied, ApplicationStatus::Accepted)?;
                let at = self.after(accepted, 15, 40);
                let stage1 = self.audit(
                    c,
                    &a,
                    AuditSpec::of(body, AssessmentKind::Stage1, Profile::Stage1, at, Stop::Finalized),
                )?;
                self.follow_up(c, &stage1, now, Reach::Verified, Reach::Verified)?;
                let at = self.after(at, 30, 70);
                let at = self.in_past(at);
                let stop = if submitted { Stop::Submitted } else { Stop::Draft };
                self.audit(c, &a, AuditSpec::of(body, AssessmentKind::Stage2, Profile::Pass, at, stop))?;
            }
            Story::FailedStage2 => {
                let applied = self.days_ago(150, 420);
                self.begin(c, &mut a, applied)?;
                let accepted = self.apply(c, &a, body, applied, ApplicationStatus::Accepted)?;
                let at = self.after(accepted, 15, 40);
                let stage1 = self.audit(
                    c,
                    &a,
                    AuditSpec::of(body, AssessmentKind::Stage1, Profile::Stage1, at, Stop::Finalized),
                )?;
                self.follow_up(c, &stage1, now, Reach::Verified, Reach::Verified)?;
                let at = self.after(at, 30, 60);
                let at = self.in_past(at);
                let stage2 =
                    self.audit(c, &a, AuditSpec::of(body, AssessmentKind::Stage2, Profile::Weak, at, Stop::Finalized))?;
                self.follow_up(c, &stage2, now, Reach::Verified, Reach::Verified)?;
            }
            Story::Certified => {
                let target = self.days_ago(260, 800);
                let certified = self.certification(c, &mut a, body, target, now)?;
                self.surveillances(c, &a, body, certified, now, usize::MAX, now)?;
            }
            Story::SuspendedCritical => {
                // Certified, then a short-notice audit after a worker's grievance finds a
                // critical breach: finalizing it suspends the certificate at once.
                let target = self.days_ago(250, 800);
                let found = self.days_ago(10, 170);
                let certified = self.certification(c, &mut a, body, target, now)?;
                self.surveillances(c, &a, body, certified, found, usize::MAX, now)?;
                self.critical_audit(c, &a, body, found, now)?;
            }
            Story::SuspendedOverdueMajor => {
                // A surveillance audit some months ago found major nonconformities that are still
                // not verified: the final sweep suspends the certificate.
                let k: u32 = self.rng.gen_range(1..=2);
                let due = self.days_ago(100, 150);
                let target = months_before(due, 12 * k);
                let certified = self.certification(c, &mut a, body, target, now)?;
                let reach = self.pick(&[Reach::Plan, Reach::Evidence]);
                self.overdue_major_audit(c, &a, body, certified, k, (95, 110), reach, now)?;
            }
            Story::SuspendedSurveillanceOverdue => {
                // No surveillance audit in the first year: the final sweep suspends.
                let target = {
                    let t = self.days_ago(110, 170);
                    months_before(t, 12)
                };
                self.certification(c, &mut a, body, target, now)?;
            }
            Story::WithdrawnCritical => {
                let target = self.days_ago(420, 850);
                let found = self.days_ago(195, 330);
                let certified = self.certification(c, &mut a, body, target, found)?;
                self.surveillances(c, &a, body, certified, found, usize::MAX, found)?;
                self.critical_audit(c, &a, body, found, found + days(45))?;
            }
            Story::WithdrawnOverdueMajor => {
                let due = self.days_ago(310, 400);
                let target = months_before(due, 12);
                let certified = self.certification(c, &mut a, body, target, due)?;
                let audit = self.overdue_major_audit(c, &a, body, certified, 1, (300, 330), Reach::Plan, now)?;
                // What the sweeper did the day after the closure deadline passed.
                let finalized = audit.finalized_at.map(from_db_time).ok_or_else(|| internal("audit not finalized"))?;
                let (_, closure_due) = deadlines(Severity::Major, finalized).ok_or_else(|| internal("no deadline"))?;
                let at = self.after(closure_due, 1, 1);
                let overdue =
                    store::certifications::unverified_actions(c, &a.id, &["major", "critical"], Some(to_db_time(at)))?;
                let reason = format!("{overdue} major or critical corrective action(s) overdue");
                certification::suspend(c, SYSTEM, &a.id, Some("overdue_corrective_action"), &reason, at)?;
            }
            Story::WithdrawnSurveillanceOverdue => {
                let target = {
                    let t = self.days_ago(280, 420);
                    months_before(t, 12)
                };
                let horizon = target + days(400);
                let certified = self.certification(c, &mut a, body, target, horizon)?;
                // What the sweeper did once the first surveillance audit was 30 days late.
                let due = rules::period(certified).first_surveillance_due;
                let at = self.after(due, 31, 31);
                let reason = format!("surveillance audit due {} is more than 30 days late", due.format("%Y-%m-%d"));
                certification::suspend(c, SYSTEM, &a.id, Some("surveillance_overdue"), &reason, at)?;
            }
            Story::Expired { recertification_started } => {
                let target = {
                    let t = self.days_ago(70, 180);
                    months_before(t, rules::VALIDITY_MONTHS)
                };
                let horizon = target.checked_add_months(Months::new(rules::VALIDITY_MONTHS)).unwrap_or(now).min(now);
                let certified = self.certification(c, &mut a, body, target, horizon)?;
                let valid_until = rules::period(certified).valid_until;
                self.surveillances(c, &a, body, certified, valid_until - days(45), usize::MAX, horizon)?;
                if recertification_started {
                    let at = self.before(valid_until, 10, 40);
                    let spec = AuditSpec::of(body, AssessmentKind::Recertification, Profile::Pass, at, Stop::Draft);
                    self.audit(c, &a, spec)?;
                }
            }
        }
        Ok(())
    }

    /// Registers an agency whose first step in the cycle is at `first` (after its
    /// self-assessment, when it files one).
    fn begin(&mut self, c: &mut DbConnection, a: &mut DemoAgency, first: Time) -> AppResult<()> {
        let assessed = self.before(first, 20, 90);
        let start = if a.self_assessment { assessed } else { first };
        let created = self.before(start, 45, 700);
        self.register(c, a, created)?;
        if a.self_assessment {
            self.self_assessment(c, a, assessed)?;
        }
        Ok(())
    }

    /// The agency gets its own client and assesses itself against the standard.
    fn self_assessment(&mut self, c: &mut DbConnection, a: &mut DemoAgency, at: Time) -> AppResult<()> {
        let joined = self.before(at, 10, 40);
        let name: String = a.input.legal_name.chars().take(80).collect();
        let client = self.new_client(
            c,
            ClientInput {
                name: format!("{name} (demo)"),
                role: Role::Agency,
                certification_body_id: None,
                agency_id: Some(a.id.clone()),
                person_ref: None,
            },
            joined,
        )?;
        a.own_client = Some(client);
        let spec = AuditSpec {
            body: None,
            kind: AssessmentKind::SelfAssessment,
            profile: Profile::SelfAssessment,
            at,
            stop: Stop::Finalized,
            forced: &[],
        };
        self.audit(c, a, spec)?;
        Ok(())
    }

    /// Applies to the body at `at`; returns when the body decided (or `at` while pending).
    fn apply(
        &mut self,
        c: &mut DbConnection,
        a: &DemoAgency,
        body: usize,
        at: Time,
        outcome: ApplicationStatus,
    ) -> AppResult<Time> {
        let decided = match outcome {
            ApplicationStatus::Pending => None,
            _ => {
                let t = self.after(at, 2, 12);
                Some(self.in_past(t))
            }
        };
        let reason = match outcome {
            ApplicationStatus::Deferred => {
                let destination = country_name(&a.input.destination_countries[0]);
                Some(match self.rng.gen_range(0..4) {
                    0 => "Send the renewed licence and the list of sub-agents.".to_owned(),
                    1 => {
                        format!("Send the agreements with employer-clients in {destination} before the stage-1 review.")
                    }
                    2 => "The grievance procedure in workers' languages was not attached.".to_owned(),
                    _ => "Send the price list showing who pays each recruitment cost.".to_owned(),
                })
            }
            _ => None,
        };
        let b = &self.bodies[body];
        let by = a.own_client.clone().unwrap_or_else(|| b.certifier.clone());
        let row = ApplicationRow {
            id: Uuid::now_v7().to_string(),
            agency_id: a.id.clone(),
            certification_body_id: b.id.clone(),
            status: wire_name(&outcome),
            reason,
            created_by: by.clone(),
            decided_by: decided.map(|_| b.certifier.clone()),
            decided_at: decided.map(to_db_time),
            created_at: to_db_time(at),
            updated_at: to_db_time(decided.unwrap_or(at)),
            deferred_until: (outcome == ApplicationStatus::Deferred)
                .then(|| decided.map(|d| to_db_time(d + days(DEFERRAL_DAYS))))
                .flatten(),
        };
        store::certification_bodies::insert_application(c, &row)?;
        self.tally.applications += 1;
        let body_name = b.name.clone();
        let mut agency = store::agencies::find(c, &a.id)?.ok_or_else(|| internal("agency vanished"))?;
        certification::applied(c, &mut agency, &by, &body_name, at)?;
        Ok(decided.unwrap_or(at))
    }

    fn plan_track(&mut self, target: Time) -> Track {
        let stage2 = self.before(target, 12, 40);
        let stage1 = self.before(stage2, 30, 75);
        let applied = self.before(stage1, 20, 70);
        Track { applied, stage1, stage2, target }
    }

    /// Application, stage 1, stage 2 and the certification decision, aiming at `target`
    /// (later if corrective actions take longer). Returns when the agency was certified.
    fn certification(
        &mut self,
        c: &mut DbConnection,
        a: &mut DemoAgency,
        body: usize,
        target: Time,
        horizon: Time,
    ) -> AppResult<Time> {
        let track = self.plan_track(target);
        self.begin(c, a, track.applied)?;
        self.apply(c, a, body, track.applied, ApplicationStatus::Accepted)?;
        let spec = AuditSpec::of(body, AssessmentKind::Stage1, Profile::Stage1, track.stage1, Stop::Finalized);
        let stage1 = self.audit(c, a, spec)?;
        let ready1 = self.follow_up(c, &stage1, horizon, Reach::Verified, Reach::Verified)?;
        let spec = AuditSpec::of(body, AssessmentKind::Stage2, Profile::Pass, track.stage2, Stop::Finalized);
        let stage2 = self.audit(c, a, spec)?;
        let ready2 = self.follow_up(c, &stage2, horizon, Reach::Verified, Reach::Verified)?;
        let ready = ready1.zip(ready2).map(|(x, y)| x.max(y)).ok_or_else(|| {
            internal(format!("corrective actions of {} not closed before its certification", a.input.legal_name))
        })?;
        let ready = self.after(ready, 1, 6);
        let at = track.target.max(ready);
        let b = &self.bodies[body];
        let decider = Decider {
            client_id: b.certifier.clone(),
            certification_body_id: Some(b.id.clone()),
            person_ref: Some(b.certifier_ref.clone()),
        };
        let filter = store::corrective_actions::Filter { assessment_id: Some(stage2.id.clone()), ..Default::default() };
        let actions = store::corrective_actions::page(c, &filter, None, 1000)?;
        let majors = actions.iter().filter(|x| x.severity == "major").count();
        let minors = actions.iter().filter(|x| x.severity == "minor").count();
        let actions = match (majors, minors) {
            (0, 0) => "no corrective action needed".to_owned(),
            (0, m) => format!("{m} minor finding(s) with a plan"),
            (n, 0) => format!("{n} major finding(s) closed and verified"),
            (n, m) => format!("{n} major finding(s) closed and verified, {m} minor finding(s) with a plan"),
        };
        let reason = format!(
            "Stage-2 audit of {}: score {:.2}, grade {}; {actions}.",
            track.stage2.format("%Y-%m-%d"),
            stage2.overall_score.unwrap_or_default(),
            stage2.grade.as_deref().unwrap_or("-"),
        );
        certification::certify(c, &decider, &a.id, &stage2.id, &reason, at)?;
        Ok(at)
    }

    /// The yearly surveillance audits of a certificate issued at `certified`, each finalized a few
    /// weeks before it is due, while they fall before `until` (at most `limit` of them).
    #[allow(clippy::too_many_arguments)]
    fn surveillances(
        &mut self,
        c: &mut DbConnection,
        a: &DemoAgency,
        body: usize,
        certified: Time,
        until: Time,
        limit: usize,
        horizon: Time,
    ) -> AppResult<usize> {
        let period = rules::period(certified);
        let mut due = period.first_surveillance_due;
        let mut done = 0;
        while due < period.valid_until && done < limit {
            let at = self.before(due, 5, 40);
            if at >= until || at >= self.now {
                break;
            }
            let spec = AuditSpec::of(body, AssessmentKind::Surveillance, Profile::Pass, at, Stop::Finalized);
            let audit = self.audit(c, a, spec)?;
            self.follow_up(c, &audit, horizon, Reach::Verified, Reach::Verified)?;
            due = rules::following_surveillance(due);
            done += 1;
        }
        Ok(done)
    }

    /// A short-notice audit with a critical finding; finalizing it suspends the certificate.
    fn critical_audit(
        &mut self,
        c: &mut DbConnection,
        a: &DemoAgency,
        body: usize,
        at: Time,
        horizon: Time,
    ) -> AppResult<()> {
        const CRITICAL: &[&str] = &["C.1", "C.1", "C.1", "D.1", "D.1", "E.3", "E.3", "C.2", "D.4", "A.3"];
        let code = self.pick(CRITICAL);
        let forced = [(code, Severity::Critical)];
        let spec = AuditSpec {
            body: Some(body),
            kind: AssessmentKind::Special,
            profile: Profile::Pass,
            at,
            stop: Stop::Finalized,
            forced: &forced,
        };
        let audit = self.audit(c, a, spec)?;
        let reach = self.pick(&[Reach::Nothing, Reach::Plan, Reach::Plan]);
        self.follow_up(c, &audit, horizon, reach, Reach::Plan)?;
        Ok(())
    }

    /// The `k`-th surveillance audit finds major nonconformities that the agency plans for but
    /// does not get verified. Earlier surveillance audits pass. Returns the audit.
    #[allow(clippy::too_many_arguments)]
    fn overdue_major_audit(
        &mut self,
        c: &mut DbConnection,
        a: &DemoAgency,
        body: usize,
        certified: Time,
        k: u32,
        at_least_days_ago: (i64, i64),
        reach: Reach,
        horizon: Time,
    ) -> AppResult<AssessmentRow> {
        const MAJOR: &[&str] = &["C.1", "C.2", "D.2", "E.2", "B.3", "G.4", "E.1", "G.1"];
        let mut due = rules::period(certified).first_surveillance_due;
        for _ in 1..k {
            due = rules::following_surveillance(due);
        }
        let mut at = self.before(due, 5, 40);
        let latest = self.now - days(at_least_days_ago.0);
        if at > latest {
            at = self.days_ago(at_least_days_ago.0, at_least_days_ago.1);
        }
        self.surveillances(c, a, body, certified, at - days(20), (k - 1) as usize, horizon)?;
        let first = self.pick(MAJOR);
        let mut forced = vec![(first, Severity::Major)];
        if self.rng.gen_bool(0.5) {
            let second = self.pick(MAJOR);
            if second != first {
                forced.push((second, Severity::Major));
            }
        }
        let spec = AuditSpec {
            body: Some(body),
            kind: AssessmentKind::Surveillance,
            profile: Profile::Pass,
            at,
            stop: Stop::Finalized,
            forced: &forced,
        };
        let audit = self.audit(c, a, spec)?;
        // The agency stops working on its actions once the deadline passed and it was suspended.
        let horizon = horizon.min(at + days(91));
        self.follow_up(c, &audit, horizon, reach, Reach::Verified)?;
        Ok(audit)
    }

    // --- audits --------------------------------------------------------------------------------

    fn methods(&mut self, kind: AssessmentKind) -> AuditMethods {
        let r = &mut self.rng;
        let (management, staff, employers, workers, sites) = match kind {
            AssessmentKind::SelfAssessment => (0, r.gen_range(0..=3), 0, 0, 0),
            AssessmentKind::Stage1 => (r.gen_range(1..=2), r.gen_range(0..=2), 0, 0, r.gen_range(0..=1)),
            AssessmentKind::Stage2 | AssessmentKind::Recertification => {
                (r.gen_range(2..=4), r.gen_range(3..=8), r.gen_range(1..=3), r.gen_range(18..=40), r.gen_range(1..=3))
            }
            AssessmentKind::Surveillance => {
                (r.gen_range(1..=3), r.gen_range(2..=6), r.gen_range(0..=2), r.gen_range(10..=30), r.gen_range(1..=2))
            }
            _ => (r.gen_range(1..=2), r.gen_range(1..=4), r.gen_range(0..=1), r.gen_range(8..=25), 1),
        };
        AuditMethods {
            documents_reviewed: true,
            management_interviews: management,
            staff_interviews: staff,
            employer_client_interviews: employers,
            worker_interviews: workers,
            sites_visited: sites,
        }
    }

    /// One severity per criterion, redrawn until the profile's condition holds.
    fn draw(&mut self, profile: Profile, forced: &[(&'static str, Severity)]) -> BTreeMap<String, Severity> {
        let [conformant, observation, minor, _] = profile.weights();
        loop {
            let mut found = BTreeMap::new();
            for criterion in &self.standard.criteria {
                let roll = self.rng.gen_range(0..100);
                let mut severity = if roll < conformant {
                    Severity::Conformant
                } else if roll < conformant + observation {
                    Severity::Observation
                } else if roll < conformant + observation + minor {
                    Severity::Minor
                } else {
                    Severity::Major
                };
                // Agencies on the way to a certificate keep majors off the critical criteria.
                if severity == Severity::Major && criterion.critical && profile != Profile::Weak {
                    severity = Severity::Minor;
                }
                if criterion.code == "B.3" && profile != Profile::SelfAssessment && self.rng.gen_bool(0.12) {
                    severity = Severity::NotApplicable;
                }
                found.insert(criterion.code.clone(), severity);
            }
            for (code, severity) in forced {
                found.insert((*code).to_owned(), *severity);
            }
            let score = scoring::score(&self.standard, &found);
            let overall = score.overall.unwrap_or_default();
            let has_major = found.values().any(|s| *s == Severity::Major);
            let fits = match profile {
                Profile::SelfAssessment => true,
                Profile::Stage1 | Profile::Pass => overall >= 78.0,
                Profile::Weak => overall < score.certification_minimum || has_major,
            };
            if fits {
                return found;
            }
        }
    }

    fn fees(&mut self, origin: &Origin, code: &str, severity: Severity) -> Vec<FeeAmount> {
        use FeeCategory::*;
        let categories = match (code, severity) {
            ("C.1", Severity::Minor) => vec![self.pick(&[Administrative, Medical])],
            ("C.1", Severity::Major) => vec![Medical, self.pick(&[TrainingOrientation, SkillsTest])],
            ("C.1", Severity::Critical) => {
                let mut v = vec![RecruitmentFee];
                if self.rng.gen_bool(0.5) {
                    v.push(Medical);
                }
                if self.rng.gen_bool(0.25) {
                    v.push(Illegitimate);
                }
                v
            }
            ("C.2", Severity::Minor) => vec![Administrative],
            ("C.2", Severity::Major) => vec![TravelLodging],
            ("C.2", Severity::Critical) => vec![RecruitmentFee],
            _ => Vec::new(),
        };
        categories
            .into_iter()
            .map(|category| {
                let share = match category {
                    RecruitmentFee => 1.0,
                    Medical => 0.08,
                    Insurance => 0.04,
                    SkillsTest => 0.05,
                    TrainingOrientation => 0.06,
                    Equipment => 0.05,
                    TravelLodging => 0.15,
                    Administrative => 0.03,
                    Illegitimate => 0.25,
                };
                let major = origin.typical_fee * share * self.rng.gen_range(0.6..1.4);
                // Two significant figures, as people quote prices.
                let unit = 10f64.powi(major.log10().floor() as i32 - 1).max(1.0);
                let rounded = ((major / unit).round() * unit) as i64;
                FeeAmount { category, amount_minor: rounded * origin.minor_per_major, currency: origin.currency.into() }
            })
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn evidence(
        &mut self,
        a: &DemoAgency,
        code: &str,
        severity: Severity,
        workers: u32,
        files: u32,
        fees: &[FeeAmount],
        self_assessed: bool,
    ) -> String {
        let fee_part = if fees.is_empty() { String::new() } else { format!("; amounts: {}", fee_list(fees, a.origin)) };
        if self_assessed {
            return match severity {
                Severity::Conformant | Severity::NotApplicable => {
                    "Agency's own review: policy and records in place.".into()
                }
                Severity::Observation => format!("Agency's own review: in place; plans to {}.", improvement(code)),
                _ => format!("Agency's own review found that {}.", gap(code)),
            };
        }
        let destination = country_name(&a.input.destination_countries[0]);
        match severity {
            Severity::NotApplicable => {
                "The agency works without sub-agents; confirmed in management and staff interviews.".into()
            }
            Severity::Conformant => conformant_text(code, workers, files),
            Severity::Observation => format!("Conformant. For improvement: {}.", improvement(code)),
            Severity::Minor => {
                let k = self.rng.gen_range(1..=2);
                format!(
                    "Minor: {}, in {k} of {files} files sampled{fee_part}. An isolated lapse; the system works.",
                    gap(code)
                )
            }
            Severity::Major => {
                let k = self.rng.gen_range(3..=(files / 3).max(3));
                let heard =
                    if workers > 0 { format!(" and confirmed in {workers} worker interviews") } else { String::new() };
                format!(
                    "Major: {}; seen in {k} of {files} files sampled{heard}{fee_part}. No working system in place.",
                    gap(code)
                )
            }
            Severity::Critical => {
                let w = workers.max(6);
                let k = self.rng.gen_range(2..=(w / 3).max(2));
                let paid = fee_list(fees, a.origin);
                match code {
                    "C.1" => format!(
                        "Critical: {k} of {w} workers interviewed paid {paid} to the agency's sub-agent before leaving \
                         for {destination}; receipts seen for {} of them. The workers are carrying recruitment debts now.",
                        (k / 2).max(1)
                    ),
                    "C.2" => format!(
                        "Critical: {k} of {w} workers interviewed in {destination} have {paid} deducted from their \
                         wages to repay recruitment costs arranged through the agency."
                    ),
                    "D.1" => format!(
                        "Critical: {k} passports of candidates and placed workers were held in the agency office without \
                         consent forms; workers said they could not get them back on request."
                    ),
                    "D.4" => format!(
                        "Critical: {k} candidates were made to sign a security bond and hand over a post-dated cheque \
                         before deployment to {destination}."
                    ),
                    "E.3" => format!(
                        "Critical: {k} of {w} workers interviewed in {destination} were made to sign a new contract on \
                         arrival with lower pay and longer hours than agreed before departure; the agency knew and did \
                         not act."
                    ),
                    _ => format!(
                        "Critical: {k} of {w} workers interviewed in {destination} could not leave their employer \
                         because of debts to a sub-agent and threats of penalties; the agency did not act on their \
                         complaints."
                    ),
                }
            }
        }
    }

    /// Files an assessment with its findings and takes it as far as `spec.stop`, finalizing it
    /// through [`crate::api::assessments::finalize`] (scores, corrective actions, the agency's
    /// grade, suspension on a critical finding).
    fn audit(&mut self, c: &mut DbConnection, a: &DemoAgency, spec: AuditSpec<'_>) -> AppResult<AssessmentRow> {
        let lead = match spec.body {
            Some(b) => self.bodies[b].auditor.clone(),
            None => a.own_client.clone().ok_or_else(|| internal("a self-assessment needs the agency's client"))?,
        };
        let found = self.draw(spec.profile, spec.forced);
        let methods = self.methods(spec.kind);
        let fieldwork = self.rng.gen_range(4..=18);
        let created = self.before(spec.at, fieldwork + 5, fieldwork + 10);
        let keep = match spec.stop {
            Stop::Draft => self.rng.gen_range(8..=26),
            _ => found.len(),
        };
        let submitted_at = match spec.stop {
            Stop::Draft => None,
            Stop::Submitted => Some(spec.at),
            Stop::Finalized => Some(self.before(spec.at, 1, 4)),
        };
        let last_finding = submitted_at.unwrap_or(spec.at) - Duration::hours(1);
        let files =
            if spec.kind == AssessmentKind::Stage1 { self.rng.gen_range(8..=15) } else { self.rng.gen_range(12..=30) };
        let self_assessed = spec.kind == AssessmentKind::SelfAssessment;
        let mut findings = Vec::with_capacity(keep);
        let span = (last_finding - created).num_minutes().max(keep as i64);
        for (i, (code, severity)) in found.iter().take(keep).enumerate() {
            let about_workers = matches!(principle_of(code), 'C' | 'D' | 'E' | 'G') || code == "A.3" || code == "A.4";
            let workers = if about_workers { methods.worker_interviews } else { 0 };
            let fees = if self_assessed { Vec::new() } else { self.fees(a.origin, code, *severity) };
            let evidence = self.evidence(a, code, *severity, workers, files, &fees, self_assessed);
            let offset = span * (i as i64 + 1) / keep as i64;
            findings.push(FindingRow {
                assessment_id: String::new(),
                criterion_code: code.clone(),
                severity: wire_name(severity),
                evidence,
                workers_interviewed: i32::try_from(workers).unwrap_or(i32::MAX),
                fees: serde_json::to_string(&fees).map_err(internal)?,
                recorded_by: lead.clone(),
                updated_at: to_db_time(created + Duration::minutes(offset)),
            });
        }
        let status = match spec.stop {
            Stop::Draft => AssessmentStatus::Draft,
            _ => AssessmentStatus::Submitted,
        };
        let last_step = submitted_at.unwrap_or(last_finding);
        let mut row = AssessmentRow {
            id: Uuid::now_v7().to_string(),
            agency_id: a.id.clone(),
            certification_body_id: spec.body.map(|b| self.bodies[b].id.clone()),
            standard_version: self.standard.version.clone(),
            kind: wire_name(&spec.kind),
            status: wire_name(&status),
            lead_client_id: lead,
            methods: serde_json::to_string(&methods).map_err(internal)?,
            overall_score: None,
            grade: None,
            score: None,
            // One version per recorded finding and per workflow step, as through the API.
            version: 1 + keep as i64 + i64::from(submitted_at.is_some()),
            created_at: to_db_time(created),
            updated_at: to_db_time(last_step),
            submitted_at: submitted_at.map(to_db_time),
            finalized_at: None,
            cancelled_at: None,
        };
        store::assessments::insert(c, &row)?;
        for mut finding in findings {
            finding.assessment_id = row.id.clone();
            store::assessments::put_finding(c, &finding)?;
        }
        self.tally.findings += keep;
        if spec.stop == Stop::Finalized {
            crate::api::assessments::finalize(c, &mut row, spec.at)?;
            let expected = row.version;
            row.status = wire_name(&AssessmentStatus::Finalized);
            row.version += 1;
            row.updated_at = to_db_time(spec.at);
            if !store::assessments::update(c, &row, expected)? {
                return Err(internal("assessment changed while finalizing"));
            }
        }
        Ok(row)
    }

    /// The agency answers the corrective actions the audit opened, and the body's auditor
    /// verifies them, as far as `serious` (majors and criticals) and `minors` go and no later
    /// than `horizon`. Returns when every major and critical action was verified and every minor
    /// one had a plan (what a certification decision needs), or `None` if that did not happen.
    fn follow_up(
        &mut self,
        c: &mut DbConnection,
        audit: &AssessmentRow,
        horizon: Time,
        serious: Reach,
        minors: Reach,
    ) -> AppResult<Option<Time>> {
        let finalized = audit.finalized_at.map(from_db_time).ok_or_else(|| internal("audit not finalized"))?;
        let filter = store::corrective_actions::Filter { assessment_id: Some(audit.id.clone()), ..Default::default() };
        let mut actions = store::corrective_actions::page(c, &filter, None, 1000)?;
        actions.sort_by(|x, y| x.criterion_code.cmp(&y.criterion_code));
        let mut ready = Some(finalized);
        for mut action in actions {
            let (reach, plan, evidence, verify) = match action.severity.as_str() {
                "critical" => (serious, (1, 5), (12, 22), (2, 6)),
                "major" => (serious, (3, 12), (25, 60), (3, 12)),
                _ => (minors, (3, 12), (60, 240), (7, 30)),
            };
            let plan_at = self.after(finalized, plan.0, plan.1);
            let evidence_at = self.after(finalized, evidence.0, evidence.1);
            let verified_at = self.after(evidence_at, verify.0, verify.1);
            let auditor = self
                .bodies
                .iter()
                .find(|b| b.id == action.certification_body_id)
                .map(|b| b.auditor.clone())
                .ok_or_else(|| internal("action of an unknown body"))?;
            let expected = action.version;
            let mut reached = Reach::Nothing;
            if reach >= Reach::Plan && plan_at <= horizon {
                action.plan = Some(plan_text(&action.criterion_code));
                action.plan_submitted_at = Some(to_db_time(plan_at));
                action.status = ActionStatus::PlanSubmitted.as_str().into();
                action.updated_at = to_db_time(plan_at);
                action.version += 1;
                reached = Reach::Plan;
            }
            if reach >= Reach::Evidence && reached == Reach::Plan && evidence_at <= horizon {
                action.evidence = Some(evidence_text(&action.criterion_code));
                action.evidence_submitted_at = Some(to_db_time(evidence_at));
                action.status = ActionStatus::EvidenceSubmitted.as_str().into();
                action.updated_at = to_db_time(evidence_at);
                action.version += 1;
                reached = Reach::Evidence;
            }
            if reach >= Reach::Verified && reached == Reach::Evidence && verified_at <= horizon {
                action.verified_by = Some(auditor);
                action.verified_at = Some(to_db_time(verified_at));
                action.status = ActionStatus::Verified.as_str().into();
                action.updated_at = to_db_time(verified_at);
                action.version += 1;
                reached = Reach::Verified;
            }
            if reached > Reach::Nothing && !store::corrective_actions::update(c, &action, expected)? {
                return Err(internal("corrective action changed meanwhile"));
            }
            let (needed, done_at) =
                if action.severity == "minor" { (Reach::Plan, plan_at) } else { (Reach::Verified, verified_at) };
            ready = ready.filter(|_| reached >= needed).map(|r| r.max(done_at));
        }
        Ok(ready)
    }

    // --- the summary ---------------------------------------------------------------------------

    fn summary(&self, c: &mut DbConnection, report: &certification::SweepReport) -> AppResult<Summary> {
        let agencies = store::agencies::search(c, &store::agencies::Filter::default(), None, 1_000_000)?;
        let mut status = StatusCounts::default();
        for agency in &agencies {
            let counter = match CertificationStatus::parse(&agency.certification_status) {
                Some(CertificationStatus::NeverCertified) => &mut status.never_certified,
                Some(CertificationStatus::Applicant) => &mut status.applicant,
                Some(CertificationStatus::Certified) => &mut status.certified,
                Some(CertificationStatus::Suspended) => &mut status.suspended,
                Some(CertificationStatus::Withdrawn) => &mut status.withdrawn,
                Some(CertificationStatus::Expired) => &mut status.expired,
                None => return Err(internal(format!("agency status {}", agency.certification_status))),
            };
            *counter += 1;
        }
        let ids: Vec<String> = agencies.iter().map(|a| a.id.clone()).collect();
        let certificates = store::certifications::certificates_of(c, &ids)?.len();
        let mut assessments = AssessmentCounts::default();
        let rows = store::assessments::page(
            c,
            &store::assessments::Visibility::All,
            &store::assessments::Filter::default(),
            None,
            1_000_000,
        )?;
        for row in &rows {
            assessments.total += 1;
            match row.status.as_str() {
                "finalized" => assessments.finalized += 1,
                "submitted" => assessments.submitted += 1,
                _ => assessments.draft += 1,
            }
            *assessments.by_kind.entry(row.kind.clone()).or_default() += 1;
        }
        let mut actions = ActionCounts::default();
        let rows = store::corrective_actions::page(c, &store::corrective_actions::Filter::default(), None, 1_000_000)?;
        for row in &rows {
            actions.total += 1;
            let status = ActionStatus::parse(&row.status).ok_or_else(|| internal("action status"))?;
            match status {
                ActionStatus::Open => actions.open += 1,
                ActionStatus::PlanSubmitted => actions.plan_submitted += 1,
                ActionStatus::EvidenceSubmitted => actions.evidence_submitted += 1,
                ActionStatus::Verified => actions.verified += 1,
            }
            if is_overdue(status, from_db_time(row.plan_due), from_db_time(row.closure_due), self.now) {
                actions.overdue += 1;
            }
        }
        Ok(Summary {
            as_of: self.now,
            agencies: agencies.len(),
            certification_status: status,
            certificates,
            certification_bodies: BodyCounts { accredited: self.bodies.len(), pending: self.pending_bodies },
            api_clients: self.tally.clients,
            applications: self.tally.applications,
            assessments,
            findings: self.tally.findings,
            corrective_actions: actions,
            sweep: SweepCounts {
                suspended: report.suspended.len(),
                withdrawn: report.withdrawn.len(),
                expired: report.expired.len(),
                lapsed_applications: report.lapsed_applications,
            },
            note: "The demo's API clients (an auditor and a certifier per accredited body, and a few agencies) \
                   have secrets nobody was shown, so they cannot log in. Create your own with \
                   `fairhire client create`."
                .into(),
        })
    }
}

impl<'f> AuditSpec<'f> {
    fn of(body: usize, kind: AssessmentKind, profile: Profile, at: Time, stop: Stop) -> AuditSpec<'f> {
        AuditSpec { body: Some(body), kind, profile, at, stop, forced: &[] }
    }
}

/// A host name from an agency's name: its first three words, folded to ASCII.
fn slug(legal_name: &str) -> String {
    let folded = fold_for_search(legal_name);
    let words: Vec<String> = folded
        .split(|ch: char| !ch.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty() && !matches!(*w, "pt" | "pvt" | "ltd" | "inc" | "corp" | "plc" | "llp"))
        .take(3)
        .map(str::to_owned)
        .collect();
    words.join("-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn seeder() -> Seeder {
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 9, 30, 0).unwrap();
        Seeder::new(now, StandardContent::default_standard().unwrap())
    }

    #[test]
    fn the_registry_data_is_valid_unique_and_the_same_every_time() {
        let first = seeder().agencies().unwrap();
        let again = seeder().agencies().unwrap();
        assert_eq!(first.len(), 300);
        let names: Vec<&str> = first.iter().map(|a| a.input.legal_name.as_str()).collect();
        let names_again: Vec<&str> = again.iter().map(|a| a.input.legal_name.as_str()).collect();
        assert_eq!(names, names_again);
        let folded: BTreeSet<String> = names.iter().map(|n| fold_for_search(n)).collect();
        assert_eq!(folded.len(), 300, "legal names are unique");
        let licences: BTreeSet<String> = first.iter().map(|a| licence_key(&a.input.licence.number)).collect();
        assert_eq!(licences.len(), 300, "licence numbers are unique");
        assert!(names.iter().any(|n| !n.is_ascii()), "some names carry accents");
        for a in &first {
            assert!(a.input.validate().is_ok(), "{}", a.input.legal_name);
            assert!(a.input.contact_email.as_deref().is_none_or(|e| e.ends_with(".example.com")));
            assert!(a.input.licence.valid_until.unwrap() > seeder().now.date_naive());
        }
    }

    #[test]
    fn stories_match_the_intended_shares() {
        let stories = seeder().stories(300);
        let count = |f: fn(&Story) -> bool| stories.iter().filter(|(s, _)| f(s)).count();
        assert_eq!(count(|s| *s == Story::Certified), 105);
        assert_eq!(count(|s| matches!(s, Story::Expired { .. })), 30);
        assert_eq!(stories.iter().filter(|(_, own)| *own).count(), 6);
    }

    #[test]
    fn drawn_findings_fit_their_profile() {
        let mut s = seeder();
        for _ in 0..50 {
            let pass = s.draw(Profile::Pass, &[]);
            let score = scoring::score(&s.standard, &pass);
            assert!(score.overall.unwrap() >= 78.0);
            let weak = s.draw(Profile::Weak, &[]);
            let score = scoring::score(&s.standard, &weak);
            assert!(score.overall.unwrap() < 75.0 || weak.values().any(|v| *v == Severity::Major));
        }
    }

    #[test]
    fn amounts_read_like_prices() {
        assert_eq!(money(1_250_000, "NPR", 100), "NPR 12,500");
        assert_eq!(money(3_200_000, "UGX", 1), "UGX 3,200,000");
        assert_eq!(slug("Santo Niño Global Placement Inc."), "santo-nino-global");
        assert_eq!(slug("PT Duta Insani Sejahtera"), "duta-insani-sejahtera");
    }
}

//! Renders the findings of a scan ([`chainproof_core::vuln::Finding`] over an
//! [`chainproof_core::Inventory`]) as a terminal table, JSON, SARIF 2.1.0, a CycloneDX 1.6
//! vulnerability disclosure report, or an OpenVEX document.
#![forbid(unsafe_code)]

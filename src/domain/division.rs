//! Statistical division codes (统计用区划代码): 12 digits for a community (居委会), 9 for a
//! street (街道). A community's first 9 digits are its street's code.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeError {
    Empty,
    /// Wrong length or not all digits; carries the required length.
    Digits(usize),
}

fn check_digits(code: &str, len: usize) -> Result<String, CodeError> {
    let c = code.trim();
    if c.is_empty() {
        return Err(CodeError::Empty);
    }
    if c.len() != len || !c.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CodeError::Digits(len));
    }
    Ok(c.to_string())
}

pub fn community_code(code: &str) -> Result<String, CodeError> {
    check_digits(code, 12)
}

pub fn street_code(code: &str) -> Result<String, CodeError> {
    check_digits(code, 9)
}

/// The street code a community code belongs to.
pub fn street_of(community_code: &str) -> &str {
    &community_code[..9.min(community_code.len())]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert_eq!(community_code(" 410103008005 "), Ok("410103008005".into()));
        assert_eq!(community_code("41010300800"), Err(CodeError::Digits(12)));
        assert_eq!(community_code("41010300800a"), Err(CodeError::Digits(12)));
        assert_eq!(community_code(""), Err(CodeError::Empty));
        assert_eq!(street_code("410103008"), Ok("410103008".into()));
        assert_eq!(street_code("4101030080"), Err(CodeError::Digits(9)));
        assert_eq!(street_of("410103008005"), "410103008");
    }
}

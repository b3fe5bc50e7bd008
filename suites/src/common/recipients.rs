//! Recipients from the profile for the messages a scenario sends.

/// The first `n` recipients of `list`, cycling when it holds fewer (so a limit of ten
/// recipients can be provoked with a profile listing two); none when the list is empty.
pub fn cycling(list: &[String], n: usize) -> Vec<String> {
    list.iter().cycle().take(n).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipients_cycle_through_the_list() {
        let list = vec!["a".to_string(), "b".to_string()];
        assert_eq!(cycling(&list, 3), vec!["a", "b", "a"]);
        assert_eq!(cycling(&list, 1), vec!["a"]);
        assert!(cycling(&[], 2).is_empty());
    }
}

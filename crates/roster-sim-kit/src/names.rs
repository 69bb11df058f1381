//! Name pools for generated people: unicode display names with ASCII forms for emails,
//! names in other scripts, and mixed-case domains (emails must match case-insensitively).

/// Western first names: (display, ASCII).
pub const FIRST: [(&str, &str); 25] = [
    ("José", "Jose"),
    ("Zoë", "Zoe"),
    ("Anaïs", "Anais"),
    ("Søren", "Soren"),
    ("Łukasz", "Lukasz"),
    ("Siobhán", "Siobhan"),
    ("François", "Francois"),
    ("Björn", "Bjorn"),
    ("Ngozi", "Ngozi"),
    ("Priya", "Priya"),
    ("Mateo", "Mateo"),
    ("Olivia", "Olivia"),
    ("Liam", "Liam"),
    ("Aarav", "Aarav"),
    ("Fatima", "Fatima"),
    ("Chloé", "Chloe"),
    ("Jürgen", "Jurgen"),
    ("Ana", "Ana"),
    ("Mohammed", "Mohammed"),
    ("Emily", "Emily"),
    ("Noah", "Noah"),
    ("Hannah", "Hannah"),
    ("İlkay", "Ilkay"),
    ("Dmitri", "Dmitri"),
    ("Renée", "Renee"),
];

/// Western last names: (display, ASCII).
pub const LAST: [(&str, &str); 20] = [
    ("Müller", "Muller"),
    ("O'Brien", "OBrien"),
    ("García", "Garcia"),
    ("Nguyễn", "Nguyen"),
    ("Smith", "Smith"),
    ("Kowalski", "Kowalski"),
    ("da Silva", "DaSilva"),
    ("Johansson", "Johansson"),
    ("Okafor", "Okafor"),
    ("Patel", "Patel"),
    ("Dubois", "Dubois"),
    ("van der Berg", "VanDerBerg"),
    ("Schröder", "Schroder"),
    ("Fernández", "Fernandez"),
    ("Kim", "Kim"),
    ("Ivanov", "Ivanov"),
    ("Brown", "Brown"),
    ("Yılmaz", "Yilmaz"),
    ("Lefèvre", "Lefevre"),
    ("Andersen", "Andersen"),
];

/// People written in other scripts: (first, last, full name as written, ASCII first, ASCII last).
pub const OTHER_SCRIPTS: [(&str, &str, &str, &str, &str); 10] = [
    ("芳", "王", "王芳", "Fang", "Wang"),
    ("伟", "李", "李伟", "Wei", "Li"),
    ("敏", "张", "张敏", "Min", "Zhang"),
    ("花子", "佐藤", "佐藤 花子", "Hanako", "Sato"),
    ("一郎", "鈴木", "鈴木 一郎", "Ichiro", "Suzuki"),
    ("민준", "김", "김민준", "Minjun", "Kim"),
    ("서연", "이", "이서연", "Seoyeon", "Lee"),
    ("Ольга", "Смирнова", "Ольга Смирнова", "Olga", "Smirnova"),
    ("Αλέξανδρος", "Παπαδόπουλος", "Αλέξανδρος Παπαδόπουλος", "Alexandros", "Papadopoulos"),
    ("محمد", "علي", "محمد علي", "Mohamed", "Ali"),
];

/// Email domains, in mixed case on purpose.
pub const DOMAINS: [&str; 6] =
    ["Example.com", "example.com", "acme.io", "ACME.io", "corp.example.org", "Example.co.uk"];

/// A generated person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    pub first: &'static str,
    pub last: &'static str,
    /// The whole name as its script writes it ("Zoë Müller", "佐藤 花子").
    pub full: String,
    /// ASCII forms for emails, capitalized ("Zoe", "Muller").
    pub ascii_first: &'static str,
    pub ascii_last: &'static str,
}

/// Person `index` of a population generated from `seed`. The first
/// `FIRST.len() * LAST.len()` indices are distinct people (the first hundred with
/// distinct ASCII forms too); one in ten writes its name in another script.
pub fn person(seed: u64, index: usize) -> Person {
    let combo = index % (FIRST.len() * LAST.len());
    if combo % 10 == 7 {
        let (first, last, full, ascii_first, ascii_last) =
            OTHER_SCRIPTS[(combo / 10 + seed as usize) % OTHER_SCRIPTS.len()];
        return Person { first, last, full: full.to_owned(), ascii_first, ascii_last };
    }
    let rot = seed as usize;
    let (first, ascii_first) = FIRST[(combo % FIRST.len() + rot) % FIRST.len()];
    let (last, ascii_last) = LAST[(combo / FIRST.len() + rot / FIRST.len()) % LAST.len()];
    Person { first, last, full: format!("{first} {last}"), ascii_first, ascii_last }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    #[test]
    fn people_are_varied_and_distinct() {
        let people: Vec<_> = (0..500).map(|i| super::person(3, i)).collect();
        let distinct: HashSet<_> = people.iter().map(|p| p.full.clone()).collect();
        assert!(distinct.len() > 400, "{}", distinct.len());
        assert!(people.iter().filter(|p| !p.full.is_ascii()).count() > 100);
        assert!(people.iter().all(|p| p.ascii_first.is_ascii() && p.ascii_last.is_ascii()));
        let ascii: HashSet<_> = people[..100].iter().map(|p| (p.ascii_first, p.ascii_last)).collect();
        assert_eq!(ascii.len(), 100, "the first hundred have distinct ascii forms");
    }
}

import PolicyTrackerCore

/// What a form records when Enter saves it.
public enum FormPurpose: Equatable, Sendable {
    /// A status change of the item (`x`, `m`, `e`).
    case mark(itemId: String)
    /// A review of the item (`v`).
    case review(itemId: String)
    /// A new recommendation (`A`).
    case add
    /// A correction of the item's fields (`E`).
    case edit(itemId: String)
}

/// One labelled line of a form.
public struct FormField: Equatable, Sendable {
    /// Which field it is; its label is the name, capitalised.
    public enum Name: String, Equatable, Sendable {
        case id, title, catalog, summary, category, horizon, actors, status, date, source, quote, links, note

        /// How the form labels the field.
        public var label: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
    }

    public var name: Name
    public var field: TextField
    /// What the field holds while it is empty, in the muted colour.
    public var placeholder: String
    /// The values ← and → step through (a status, a horizon, a catalog); empty for free text.
    public var choices: [String]

    public init(_ name: Name, _ text: String = "", placeholder: String = "", choices: [String] = []) {
        self.name = name
        field = TextField(text: text)
        self.placeholder = placeholder
        self.choices = choices
    }
}

/// A form of labelled one-line fields, one of them being edited: the browser's way to
/// record everything the command line can (a status change, a review, an addition, an
/// edit). Tab and Shift-Tab move between fields, Enter saves, Esc cancels all of it.
public struct Form: Equatable, Sendable {
    public var purpose: FormPurpose
    public var title: String
    public var fields: [FormField]
    /// The index of the field being edited.
    public var focus: Int
    /// What keeps the form from being saved (a date being typed, or the last Enter's
    /// refusal, in the command line's words); nil when nothing does.
    public var problem: String?
    /// The source suggestion → would take, among ``sourceSuggestions``.
    public var suggestion = 0

    public init(purpose: FormPurpose, title: String, fields: [FormField], focus: FormField.Name) {
        self.purpose = purpose
        self.title = title
        self.fields = fields
        self.focus = fields.firstIndex { $0.name == focus } ?? 0
    }

    /// The text of the field `name`, trimmed; "" when the form has no such field.
    public subscript(name: FormField.Name) -> String {
        fields.first { $0.name == name }?.field.text.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }

    /// The text of `name`, nil when empty.
    func given(_ name: FormField.Name) -> String? {
        let text = self[name]
        return text.isEmpty ? nil : text
    }

    /// The field being edited.
    public var focused: FormField { fields[focus] }
}

extension Form {
    /// Date, Source, Quote and Note, as a status change and a review share them.
    private static func evidenceFields(today: PolicyDate) -> [FormField] {
        [
            FormField(.date, placeholder: "today (\(today.text)); or YYYY, YYYY-MM, YYYY-MM-DD"),
            FormField(.source, placeholder: "a source id, a URL or a citation"),
            FormField(.quote, placeholder: "the source's own words (at most 25)"),
            FormField(.note, placeholder: "what happened"),
        ]
    }

    /// The form of `x`, `m` and `e`: a status change of `item` to `status`.
    static func mark(_ item: Item, status: Status, today: PolicyDate) -> Form {
        Form(
            purpose: .mark(itemId: item.id), title: "Mark \(item.id)",
            fields: [FormField(.status, status.rawValue, choices: Status.names)] + evidenceFields(today: today), focus: .note)
    }

    /// The form of `v`: a review of `item`, its note optional.
    static func review(_ item: Item, today: PolicyDate) -> Form {
        Form(purpose: .review(itemId: item.id), title: "Review \(item.id), still \(item.status.rawValue)",
             fields: evidenceFields(today: today), focus: .note)
    }

    /// The fields of a recommendation of a catalog with `vocabulary`, filled from
    /// `recommendation` when there is one.
    private static func recommendationFields(_ recommendation: Recommendation?, vocabulary: Vocabulary) -> [FormField] {
        let source = recommendation?.source
        let horizons = vocabulary.horizons.map(\.id)
        let actors = recommendation?.actors.map(\.id) ?? vocabulary.actors.map(\.id)
        return [
            FormField(.title, recommendation?.title ?? ""),
            FormField(.summary, recommendation?.summary ?? "", placeholder: "a few sentences"),
            FormField(.category, recommendation?.category ?? "", placeholder: vocabulary.categories.first?.id ?? "a category"),
            FormField(.horizon, recommendation?.horizon.id ?? (horizons.contains("medium-term") ? "medium-term" : horizons.first ?? ""),
                      choices: horizons),
            FormField(.actors, actors.joined(separator: ", "), placeholder: "actors, separated by commas"),
            FormField(.source, source.map { $0.source == "unspecified" ? "" : $0.source } ?? "", placeholder: "a source id or a citation"),
            FormField(.quote, source?.quote ?? "", placeholder: "a short quote from the source"),
            FormField(.links, (recommendation?.links ?? []).map { "\($0.kind.rawValue):\($0.id)" }.joined(separator: " "),
                      placeholder: "advances:ID supersedes:ID"),
        ]
    }

    /// The form of `A`: a new recommendation in the `catalog` shown, else the default one.
    static func add(catalogs: [String], catalog: String?, vocabulary: Vocabulary) -> Form {
        var fields = [FormField(.id, placeholder: "a lowercase slug, such as my-item")] + recommendationFields(nil, vocabulary: vocabulary)
        fields.insert(FormField(.catalog, catalog ?? catalogs.first ?? "", choices: catalogs), at: 2)
        return Form(purpose: .add, title: "Add a recommendation", fields: fields + [FormField(.note, placeholder: "why it was added")],
                    focus: .id)
    }

    /// The form of `E`: `item`'s fields, to correct, in its catalog's `vocabulary`.
    static func edit(_ item: Item, vocabulary: Vocabulary) -> Form {
        Form(purpose: .edit(itemId: item.id), title: "Edit \(item.id)",
             fields: recommendationFields(item.recommendation, vocabulary: vocabulary) + [FormField(.note, placeholder: "why it was edited")], focus: .title)
    }
}

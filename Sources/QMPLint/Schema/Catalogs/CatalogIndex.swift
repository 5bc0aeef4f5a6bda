// Generated; do not edit. The built-in catalogs, oldest first.

extension BuiltinCatalogs {
    static let catalogIndex: [(version: String, text: String)] = [
        ("2.1.0", v2_1_0),
        ("2.5.0", v2_5_0),
        ("2.8.0", v2_8_0),
        ("2.12.0", v2_12_0),
        ("4.2.0", v4_2_0),
        ("5.2.0", v5_2_0),
        ("6.2.0", v6_2_0),
        ("7.2.0", v7_2_0),
        ("8.2.0", v8_2_0),
        ("10.2.0", v10_2_0),
        ("10.2.50", v10_2_50),
    ]
}

extension SnapshotFunction {
    /// The pg_catalog functions that run a query given as text (`query_to_xml`, `ts_stat` …): the
    /// exporter lists a SQL-standard body's calls to them, and a definer body calling one may read
    /// anything its owner can. One list, shared by the exporter and the engine.
    package static let dynamicSQLBuiltins: Set<String> = [
        "query_to_xml", "query_to_xmlschema", "query_to_xml_and_xmlschema", "table_to_xml", "table_to_xmlschema",
        "table_to_xml_and_xmlschema", "schema_to_xml", "schema_to_xmlschema", "schema_to_xml_and_xmlschema", "database_to_xml",
        "database_to_xmlschema", "database_to_xml_and_xmlschema", "ts_stat", "ts_rewrite",
    ]
}

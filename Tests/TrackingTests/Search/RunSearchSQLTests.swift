import GRDB
import Testing
import Tracking

/// The SQL translation over the documented layout, checked against the MLflow peer fixture.
@Suite struct RunSearchSQLTests {
    static func database(_ fixture: SearchFixture) throws -> DatabaseQueue {
        var config = Configuration()
        config.prepareDatabase { db in db.add(function: RunSearchSQL.likeFunction) }
        let db = try DatabaseQueue(configuration: config)
        try db.write { db in
            try db.execute(sql: """
                CREATE TABLE runs(run_uuid TEXT PRIMARY KEY, name TEXT, status TEXT, user_id TEXT,
                                  artifact_uri TEXT, start_time INTEGER, end_time INTEGER);
                CREATE TABLE latest_metrics(run_uuid TEXT, key TEXT, value REAL NOT NULL, is_nan INTEGER NOT NULL);
                CREATE TABLE params(run_uuid TEXT, key TEXT, value TEXT);
                CREATE TABLE tags(run_uuid TEXT, key TEXT, value TEXT);
                CREATE TABLE run_dataset_inputs(run_uuid TEXT, name TEXT, digest TEXT, context TEXT);
                """)
            for r in fixture.runs {
                try db.execute(sql: "INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?)",
                               arguments: [r.run_id, r.run_name, r.status, r.user_id, r.artifact_uri, r.start_time, r.end_time])
                for (k, v) in r.metrics {
                    try db.execute(sql: "INSERT INTO latest_metrics VALUES (?, ?, ?, ?)",
                                   arguments: [r.run_id, k, v.value.isNaN ? 0 : v.value, v.value.isNaN])
                }
                for (k, v) in r.params { try db.execute(sql: "INSERT INTO params VALUES (?, ?, ?)", arguments: [r.run_id, k, v]) }
                for (k, v) in r.tags { try db.execute(sql: "INSERT INTO tags VALUES (?, ?, ?)", arguments: [r.run_id, k, v]) }
                for d in r.datasets {
                    try db.execute(sql: "INSERT INTO run_dataset_inputs VALUES (?, ?, ?, ?)", arguments: [r.run_id, d.name, d.digest, d.context])
                }
            }
        }
        return db
    }

    @Test func filtersSelectWhatMLflowSelects() throws {
        let fixture = try SearchFixture.load()
        let db = try Self.database(fixture)
        let sql = RunSearchSQL()
        var checked = 0
        for c in fixture.filters {
            guard let expected = c.matches, !MLflowSearchPeerTests.strictDeviations.contains(c.filter) else { continue }
            let (whereSQL, args) = sql.whereClause(for: try RunFilter.parse(c.filter))
            let ids = try db.read { db in
                try String.fetchAll(db, sql: "SELECT r.run_uuid FROM runs r WHERE \(whereSQL) ORDER BY r.run_uuid",
                                    arguments: StatementArguments(args))
            }
            #expect(ids == expected, "filter \(c.filter): \(whereSQL)")
            checked += 1
        }
        #expect(checked >= 90)
    }

    @Test func orderByOrdersAsMLflow() throws {
        let fixture = try SearchFixture.load()
        let db = try Self.database(fixture)
        let sql = RunSearchSQL()
        for c in fixture.orders {
            guard let expected = c.run_ids else { continue }
            let (orderSQL, args) = sql.orderByClause(for: try RunOrdering.parse(c.order_by))
            let ids = try db.read { db in
                try String.fetchAll(db, sql: "SELECT r.run_uuid FROM runs r ORDER BY \(orderSQL)", arguments: StatementArguments(args))
            }
            #expect(ids == expected, "order_by \(c.order_by): \(orderSQL)")
        }
    }

    @Test func valuesTravelAsArgumentsNotSQL() throws {
        let filter = try RunFilter.parse(#"tags.`x"; DROP TABLE runs; --` = 'y''); DROP TABLE runs; --'"#)
        let (whereSQL, args) = RunSearchSQL().whereClause(for: filter)
        #expect(!whereSQL.contains("DROP"))
        #expect(args.count == 2)
    }
}

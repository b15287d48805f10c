import Foundation
import Testing
@testable import WorthEngine
import WorthTestSupport

@Suite struct DatasetLoaderTests {
    func load(_ text: String, _ options: LoadOptions = LoadOptions(), matching schema: DatasetSchema? = nil,
              file: String = "d.csv") throws -> LoadedDataset {
        try DatasetLoader.load(table: CSVReader.parse(text, file: file), path: file, options: options, matching: schema)
    }

    /// The message of the `InputError` that loading throws, or nil.
    func loadError(_ text: String, _ options: LoadOptions = LoadOptions(), matching schema: DatasetSchema? = nil,
                   file: String = "d.csv") -> String? {
        do { _ = try load(text, options, matching: schema, file: file) } catch let error as InputError {
            return error.description
        } catch { return "not an InputError: \(error)" }
        return nil
    }

    func loadFailure(_ text: String, _ options: LoadOptions = LoadOptions(), matching schema: DatasetSchema? = nil,
                     file: String = "d.csv") -> InputError? {
        do { _ = try load(text, options, matching: schema, file: file) } catch let error as InputError { return error } catch { return nil }
        return nil
    }

    func sample(_ name: String) -> String { Repository.sample(name) }

    // MARK: Labels and classes

    @Test func textLabelsAreSortedClassesAndRowsKeepTheirNumbers() throws {
        let d = try load("x,y,label\n1,2,b\n3,4.5,a\n-1,0,b\n2,1e2,a\n")
        #expect(d.labelColumn == 2)
        #expect(d.totalRows == 4)
        #expect(d.dataset.classNames == ["a", "b"])
        #expect(d.dataset.labels == [1, 0, 1, 0])
        #expect(d.dataset.featureNames == ["x", "y"])
        #expect(d.dataset.features.storage == [1, 2, 3, 4.5, -1, 0, 2, 100])
        #expect(d.dataset.sourceRows == [1, 2, 3, 4])
        #expect(d.droppedRows.isEmpty)
        #expect(d.notes.isEmpty)
        #expect(d.schema == DatasetSchema(columnNames: ["x", "y"], encodings: [.numeric(fill: 1.25), .numeric(fill: 26.625)],
                                          labelName: "label", classNames: ["a", "b"]))
    }

    @Test func numericLabelsSortByValueAndKeepTheFirstSpelling() throws {
        let d = try load("x,y\n1,10\n2,2\n3,2.0\n4,1\n5,10\n6,1.0\n")
        #expect(d.dataset.classNames == ["1", "2", "10"])
        #expect(d.dataset.labels == [2, 1, 1, 0, 2, 0])
    }

    @Test func labelColumnByNameCaseOrNumber() throws {
        let text = "Kind,x,y\nA,1,5\nB,2,6\nA,3,5\nB,4,6\n"
        #expect(try load(text, LoadOptions(label: "Kind")).labelColumn == 0)
        #expect(try load(text, LoadOptions(label: "kind")).labelColumn == 0)
        let byNumber = try load(text, LoadOptions(label: "1"))
        #expect(byNumber.labelColumn == 0)
        #expect(byNumber.dataset.featureNames == ["x", "y"])
        #expect(byNumber.dataset.features.storage == [1, 5, 2, 6, 3, 5, 4, 6])
        #expect(try load(text).labelColumn == 2)

        #expect(loadError(text, LoadOptions(label: "class")) == "d.csv: has no column \"class\" (columns: Kind, x, y)")
        #expect(loadError(text, LoadOptions(label: "4")) == "d.csv: has no column 4: it has 3 columns (Kind, x, y)")
    }

    @Test func classChecks() {
        #expect(loadError("x,y\n1,a\n2,a\n")
            == "d.csv, column 2 (y): has only one class (\"a\"); valuation needs at least 2 classes")
        #expect(loadError("x,y\n1,a\n2,b\n3,a\n4,c\n5,c\n")
            == "d.csv, column 2 (y): class \"b\" has only 1 row; it needs at least 2 rows to split")
        #expect(loadError("y\na\nb\n") == "d.csv: has no feature columns besides the label y")
    }

    // MARK: Column typing

    @Test func textColumnsAreOneHotEncoded() throws {
        let d = try load("island,mass,y\nDream,3.5,a\nBiscoe,4,b\nTorgersen,5,a\nDream,6,b\n")
        #expect(d.dataset.featureNames == ["island=Biscoe", "island=Dream", "island=Torgersen", "mass"])
        #expect(d.dataset.features.storage == [0, 1, 0, 3.5,
                                               1, 0, 0, 4,
                                               0, 0, 1, 5,
                                               0, 1, 0, 6])
        #expect(d.notes == ["column island: 3 text values, one-hot encoded"])
        #expect(d.schema.encodings[0] == .oneHot(categories: ["Biscoe", "Dream", "Torgersen"], fill: "Dream"))
    }

    @Test func tooManyTextValues() {
        #expect(loadError("id,y\nq,a\nr,b\ns,a\nt,b\n", LoadOptions(maxCategories: 3))
            == "d.csv, column 1 (id): has 4 distinct text values, too many to one-hot encode (at most 3); "
            + "remove the column if it is an identifier or free text")
    }

    @Test func aMostlyNumericColumnRejectsItsText() throws {
        #expect(loadError("x,w,y\n1,2,a\n2,3,b\n3,abc,a\n4,x,b\n5,6,a\n")
            == "d.csv, line 4, column 2 (w): \"abc\" is not a number")
        #expect(loadError("x,w,y\n1,2,a\n2,3,b\n3,\"4\n5\",a\n4,6,b\n")
            == "d.csv, line 4, column 2 (w): \"4\\n5\" is not a number")
        // Hexadecimal and infinities are not numbers, whatever Double(_:) reads.
        #expect(loadError("x,w,y\n1,2,a\n2,0x1F,b\n3,4,a\n4,6,b\n")
            == "d.csv, line 3, column 2 (w): \"0x1F\" is not a decimal number (hexadecimal is not read; write 31)")
        #expect(loadError("x,w,y\n1,2,a\n2,3,b\n3,-inf,a\n4,6,b\n")
            == "d.csv, line 4, column 2 (w): \"-inf\" is not a finite number")
        // A cell quoted in a message cannot act on the terminal.
        #expect(loadError("x,w,y\n1,2,a\n2,3,b\n3,\"\u{1B}[2J\",a\n4,6,b\n")
            == "d.csv, line 4, column 2 (w): \"\\e[2J\" is not a number")
        // Half numbers is not more than half: a text column.
        let half = try load("x,w,y\n1,2,a\n2,abc,b\n3,4,a\n4,x,b\n")
        #expect(half.dataset.featureNames == ["x", "w=2", "w=4", "w=abc", "w=x"])
    }

    // MARK: Missing values

    static let gappy = "x,c,y\n1,u,a\n,v,b\n3,NA,a\n5,u,b\n7, ? ,a\n9,v,b\n11,w,a\n"

    @Test func missingValueIsAnErrorByDefault() {
        #expect(loadFailure(Self.gappy) == InputError(file: "d.csv", line: 3, column: 1, columnName: "x", .missingValue))
        #expect(loadFailure("x,y\n1,a\n2,null\n")
            == InputError(file: "d.csv", line: 3, column: 2, columnName: "y", .missingLabel(imputing: false)))
        #expect(loadFailure("x,y\n1,a\n2,null\n", LoadOptions(missing: .impute))
            == InputError(file: "d.csv", line: 3, column: 2, columnName: "y", .missingLabel(imputing: true)))
    }

    @Test func imputedMeanOfHugeValuesIsFinite() throws {
        let d = try load("x,y\n1.7e308,a\n1.7e308,b\n,a\n1.7e308,b\n", LoadOptions(missing: .impute))
        // A column beyond a float's range is kept in doubles with a float's 24 significant bits.
        let kept = ColumnSink.floatPrecision(1.7e308)
        #expect(abs(kept / 1.7e308 - 1) < 1e-7)
        #expect(d.dataset.features.storage == [kept, kept, kept, kept])
    }

    @Test func dropLeavesOutRowsWithAMissingCell() throws {
        let d = try load(Self.gappy, LoadOptions(missing: .drop))
        #expect(d.totalRows == 7)
        #expect(d.droppedRows == [2, 3, 5])
        #expect(d.dataset.sourceRows == [1, 4, 6, 7])
        #expect(d.dataset.featureNames == ["x", "c=u", "c=v", "c=w"])
        #expect(d.dataset.features.storage == [1, 1, 0, 0,
                                               5, 1, 0, 0,
                                               9, 0, 1, 0,
                                               11, 0, 0, 1])
        #expect(d.dataset.labels == [0, 1, 1, 0])
        #expect(d.notes == ["dropped 3 rows with missing values (data rows 2, 3, 5)",
                            "column c: 3 text values, one-hot encoded"])
        // A missing label drops the row too.
        let labelled = try load("x,y\n1,a\n2,\n3,b\n4,a\n5,b\n", LoadOptions(missing: .drop))
        #expect(labelled.droppedRows == [2])
        #expect(labelled.dataset.sourceRows == [1, 3, 4, 5])
        #expect(loadError("x,y\n,a\n2,\n", LoadOptions(missing: .drop))
            == "d.csv: no rows left after dropping the 2 rows with missing values")
    }

    @Test func imputeFillsTheMeanAndTheMostFrequentValue() throws {
        let d = try load(Self.gappy, LoadOptions(missing: .impute))
        // x: mean of 1, 3, 5, 7, 9, 11. c: u twice, v twice, w once: the tie goes to "u", first
        // in sorted order.
        #expect(d.dataset.features.storage == [1, 1, 0, 0,
                                               6, 0, 1, 0,
                                               3, 1, 0, 0,
                                               5, 1, 0, 0,
                                               7, 1, 0, 0,
                                               9, 0, 1, 0,
                                               11, 0, 0, 1])
        #expect(d.dataset.sourceRows == Array(1...7))
        #expect(d.notes == ["column x: 1 missing value imputed with the mean 6",
                            "column c: 3 text values, one-hot encoded",
                            "column c: 2 missing values imputed with the most frequent value \"u\""])
        #expect(d.schema.encodings == [.numeric(fill: 6), .oneHot(categories: ["u", "v", "w"], fill: "u")])
        #expect(loadFailure("x,y\n1,a\n2,b\n3,NaN\n", LoadOptions(missing: .impute))
            == InputError(file: "d.csv", line: 4, column: 2, columnName: "y", .missingLabel(imputing: true)))
        #expect(loadError("x,z,y\n1,,a\n2,?,b\n", LoadOptions(missing: .impute))
            == "d.csv, column 2 (z): every cell is missing, so there is nothing to impute from")
    }

    // MARK: Matching a second file

    static let train = "island,mass,sex,y\nDream,3,m,2\nBiscoe,4,f,10\nDream,5,f,2\nBiscoe,NA,m,10\n"

    @Test func aSecondFileIsEncodedLikeTheFirst() throws {
        let first = try load(Self.train, LoadOptions(missing: .impute))
        #expect(first.dataset.classNames == ["2", "10"])
        // Columns in another order, an extra column, an unseen island, a missing cell, one class only,
        // and labels spelled differently.
        let second = try load("extra,Y,sex,mass,island\nq,2.0,f,NA,Dream\nr,2,m,6,Torgersen\n",
                              LoadOptions(missing: .impute), matching: first.schema, file: "v.csv")
        #expect(second.labelColumn == 1)
        #expect(second.dataset.featureNames == first.dataset.featureNames)
        #expect(second.dataset.features.storage == [0, 1, 4, 1, 0,
                                                    0, 0, 6, 0, 1])
        #expect(second.dataset.labels == [0, 0])
        #expect(second.dataset.classNames == ["2", "10"])
        #expect(second.schema == first.schema)
        #expect(second.notes == ["column island: 1 row with values the valued file does not have (\"Torgersen\"), encoded as all zeros",
                                 "column mass: 1 missing value imputed with the mean 4"])
    }

    @Test func matchingErrors() throws {
        let first = try load(Self.train, LoadOptions(missing: .impute))
        #expect(loadError("island,sex,y\nDream,m,2\n", matching: first.schema, file: "v.csv")
            == "v.csv: has no column \"mass\" (columns: island, sex, y)")
        #expect(loadError("island,mass,sex,y\nDream,1,m,2\nDream,1,m,3\n", matching: first.schema, file: "v.csv")
            == "v.csv, line 3, column 4 (y): \"3\" is not a class of the valued file (classes: 2, 10)")
        #expect(loadError("island,mass,sex,y\nDream,heavy,m,2\n", matching: first.schema, file: "v.csv")
            == "v.csv, line 2, column 2 (mass): \"heavy\" is not a number")
        #expect(loadFailure("island,mass,sex,y\nDream,,m,2\n", matching: first.schema, file: "v.csv")
            == InputError(file: "v.csv", line: 2, column: 2, columnName: "mass", .missingValue))
    }

    // MARK: The bundled samples

    @Test(arguments: [("iris.csv", 150, 4, ["setosa", "versicolor", "virginica"]),
                      ("wine.csv", 178, 13, ["class_0", "class_1", "class_2"]),
                      ("breast_cancer.csv", 569, 30, ["benign", "malignant"]),
                      ("penguins.csv", 333, 10, ["Adelie", "Chinstrap", "Gentoo"])])
    func samplesLoad(file: String, rows: Int, features: Int, classes: [String]) throws {
        let d = try DatasetLoader.load(path: sample(file), options: LoadOptions())
        #expect(d.dataset.count == rows)
        #expect(d.totalRows == rows)
        #expect(d.dataset.featureCount == features)
        #expect(d.dataset.classNames == classes)
        #expect(d.dataset.sourceRows == Array(1...rows))
        #expect(d.dataset.features.storage.allSatisfy { $0.isFinite })
    }

    @Test func penguinsOneHotEncodesIslandAndSex() throws {
        let d = try DatasetLoader.load(path: sample("penguins.csv"), options: LoadOptions())
        #expect(d.dataset.featureNames == ["island=Biscoe", "island=Dream", "island=Torgersen", "bill_length_mm",
                                           "bill_depth_mm", "flipper_length_mm", "body_mass_g", "sex=female",
                                           "sex=male", "year"])
        #expect(d.notes == ["column island: 3 text values, one-hot encoded", "column sex: 2 text values, one-hot encoded"])
        // First data row: Torgersen,39.1,18.7,181.0,3750.0,male,2007,Adelie; a file's numbers
        // are kept as 32-bit floats.
        #expect(d.dataset.features.row(0) == [0, 0, 1, 39.1, 18.7, 181, 3750, 0, 1, 2007].map { Double(Float($0)) })
        #expect(d.dataset.labels[0] == 0)
    }

    @Test func rawPenguinsNeedAMissingPolicy() throws {
        let path = sample("penguins_raw.csv")
        #expect(loadFailure(try String(contentsOfFile: path, encoding: .utf8), file: path)
            == InputError(file: path, line: 5, column: 2, columnName: "bill_length_mm", .missingValue))

        // Dropping gives exactly the clean file, which is the raw one without those rows.
        let dropped = try DatasetLoader.load(path: path, options: LoadOptions(missing: .drop))
        let clean = try DatasetLoader.load(path: sample("penguins.csv"), options: LoadOptions())
        #expect(dropped.droppedRows == [4, 9, 10, 11, 12, 48, 179, 219, 257, 269, 272])
        #expect(dropped.dataset.features == clean.dataset.features)
        #expect(dropped.dataset.labels == clean.dataset.labels)
        #expect(dropped.dataset.featureNames == clean.dataset.featureNames)
        #expect(dropped.dataset.sourceRows.count == 333)
        #expect(!dropped.dataset.sourceRows.contains(4) && dropped.dataset.sourceRows.contains(5))

        let imputed = try DatasetLoader.load(path: path, options: LoadOptions(missing: .impute))
        #expect(imputed.dataset.count == 344)
        #expect(imputed.droppedRows.isEmpty)
        // Data row 4 is missing everything but island, year and label: it gets the means of the
        // 342 present measurements and the most frequent sex (168 male, 165 female).
        let table = try CSVReader.read(path: path)
        let bills = table.records.compactMap { Float($0[1]).map(Double.init) }
        #expect(bills.count == 342)
        let row = imputed.dataset.features.row(3)
        #expect(row[3] == Double(Float(bills.reduce(0, +) / 342)))
        #expect(row[7] == 0 && row[8] == 1)
        #expect(imputed.notes.contains("column sex: 11 missing values imputed with the most frequent value \"male\""))
    }
}

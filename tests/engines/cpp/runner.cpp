// Judges documents with valijson (draft-07 parser, strong types) over nlohmann::json, the
// way a C++ service would: nlohmann parses the document's bytes, valijson validates.
//
//   runner SCHEMA LIST
//
// Prints "ready" once the schema is parsed, then one line per file LIST names: "valid",
// "invalid", "not-json" (nlohmann refused the bytes) or "error<TAB>message" (an exception).
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

namespace {

std::string slurp(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

std::string judge(const valijson::Schema &schema, const std::string &path) {
    nlohmann::json document;
    try {
        document = nlohmann::json::parse(slurp(path));
    } catch (const nlohmann::json::exception &) {  // parse_error, or out_of_range: 1e400
        return "not-json";
    }
    valijson::Validator validator(valijson::Validator::kStrongTypes);
    const valijson::adapters::NlohmannJsonAdapter target(document);
    return validator.validate(schema, target, nullptr) ? "valid" : "invalid";
}

}  // namespace

int main(int argc, char **argv) {
    if (argc != 3) {
        std::cerr << "usage: runner SCHEMA LIST\n";
        return 2;
    }
    valijson::Schema schema;
    try {
        const nlohmann::json document = nlohmann::json::parse(slurp(argv[1]));
        valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
        parser.populateSchema(valijson::adapters::NlohmannJsonAdapter(document), schema);
    } catch (const std::exception &error) {
        std::cerr << "schema: " << error.what() << "\n";
        return 2;
    }
    std::cout << "ready" << std::endl;
    std::istringstream list(slurp(argv[2]));
    for (std::string path; std::getline(list, path);) {
        std::string verdict;
        try {
            verdict = judge(schema, path);
        } catch (const std::exception &error) {
            verdict = std::string("error\t") + error.what();
        }
        std::cout << verdict << std::endl;  // flushed: a crash loses no earlier verdict
    }
    return 0;
}

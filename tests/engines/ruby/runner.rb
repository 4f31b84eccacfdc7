# Judges documents with json_schemer 0.2 (draft-07, format assertion on: its default), the
# way a Ruby service would: JSON.parse on the document's bytes, then valid?.
#
#   ruby runner.rb SCHEMA LIST
#
# Prints "ready" once the schema is loaded, then one line per file LIST names: "valid",
# "invalid", "not-json" (JSON.parse refused the bytes) or "error<TAB>message" (an exception).
require 'set' # json_schemer 0.2 uses Set without requiring it
require 'json'
require 'json_schemer'

def judge(schemer, path)
  begin
    # JSON.parse refuses nesting deeper than 100 by default; the contract allows 199 levels
    # inside metadata.
    document = JSON.parse(File.binread(path), max_nesting: false)
  rescue JSON::ParserError
    return 'not-json'
  end
  schemer.valid?(document) ? 'valid' : 'invalid'
rescue StandardError => e
  "error\t#{e.class}: #{e.message.lines.first&.chomp}"
end

abort 'usage: runner.rb SCHEMA LIST' unless ARGV.length == 2
schemer = JSONSchemer.schema(JSON.parse(File.read(ARGV[0], encoding: 'UTF-8')))
$stdout.sync = true # a crash loses no earlier verdict
puts 'ready'
File.readlines(ARGV[1], chomp: true).each { |path| puts judge(schemer, path) }

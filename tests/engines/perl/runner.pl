#!/usr/bin/perl
# Judges documents with JSON::Validator's draft-07 class (formats checked: its default),
# the way a Perl service would: Mojo::JSON::decode_json on the document's bytes, then
# validate. Its 2019-09 class is not used: its verdicts change with the hash seed.
#
#   perl runner.pl SCHEMA LIST
#
# Prints "ready" once the schema is loaded, then one line per file LIST names: "valid",
# "invalid", "not-json" (decode_json refused the bytes) or "error<TAB>message" (it died).
use strict;
use warnings;

use JSON::Validator::Schema::Draft7;
use Mojo::File qw(path);
use Mojo::JSON qw(decode_json);

sub judge {
  my ($schema, $file) = @_;
  my $document = eval { decode_json(path($file)->slurp) };
  return 'not-json' if $@;
  my @errors = eval { $schema->validate($document) };
  if ($@) {
    (my $message = $@) =~ s/\n.*//s;
    return "error\t$message";
  }
  return @errors ? 'invalid' : 'valid';
}

die "usage: runner.pl SCHEMA LIST\n" unless @ARGV == 2;
# Not checked against the meta-schema: Debian's package ships no copy of it, and the
# check would fetch it over the network.
my $schema = JSON::Validator::Schema::Draft7->new(decode_json(path($ARGV[0])->slurp));
$| = 1;    # a crash loses no earlier verdict
print "ready\n";
print judge($schema, $_), "\n" for split /\n/, path($ARGV[1])->slurp;

#!/usr/bin/perl
# bin/sslseg's stderr filter for libtorch's own log lines ("[W1205 00:25:40.707210 NNPACK.cpp:57] text").
# Mode "quiet": its info and warning lines are dropped. Mode "once": each is passed the first time its source line
# and text occur. Its errors, and every other line, always pass. Records end at a newline or a carriage return and
# are written as soon as they end, so a progress bar redrawn with \r stays live. Signals that stop the JVM (Ctrl-C,
# a scheduler's TERM) are ignored here: the filter ends when the JVM closes stderr, after its last message.
use strict;
use warnings;
$SIG{$_} = 'IGNORE' for qw(INT TERM HUP QUIT USR1 USR2);
my $mode = shift // 'quiet';
$| = 1;
my %seen;
my $pending = '';
while (sysread(STDIN, my $chunk, 65536)) {
    $pending .= $chunk;
    while ($pending =~ s/\A([^\r\n]*[\r\n])//) {
        my $record = $1;
        if ($record =~ /\A\[([IW])\d{4} [0-9:.]+ ([^\]]+)\] ?(.*)/) {
            next if $mode ne 'once' || $seen{"$2 $3"}++;
            chomp $record;
            $record .= " (shown once; its repeats are dropped)\n";
        }
        print $record;
    }
}
print $pending;

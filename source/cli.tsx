#!/usr/bin/env node
process.stdout.write('nfdb\n');

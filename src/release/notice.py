#!/usr/bin/env python3
"""Writes NOTICE: the libraries in the release archive's lib/ with their licences, read from their POMs (and parents)
in the local Maven repository. Run from the repository root after a build:
  mvn -o -q dependency:list -DincludeScope=runtime -DoutputFile=target/deps.txt && python3 src/release/notice.py target/deps.txt > NOTICE
ReleaseArchiveIT checks that NOTICE names every jar in lib/."""
import os, sys, re
import xml.etree.ElementTree as ET

M2 = os.path.expanduser('~/.m2/repository')
NS = '{http://maven.apache.org/POM/4.0.0}'

def pom(g, a, v):
    path = os.path.join(M2, *g.split('.'), a, v, f'{a}-{v}.pom')
    return ET.parse(path).getroot() if os.path.exists(path) else None

def text(e, tag):
    x = e.find(NS + tag)
    return x.text.strip() if x is not None and x.text else None

def info(g, a, v):
    name, url, licences = None, None, []
    while g:
        root = pom(g, a, v)
        if root is None:
            break
        name = name or text(root, 'name')
        url = url or text(root, 'url')
        ls = root.find(NS + 'licenses')
        if ls is not None and not licences:
            licences = [text(l, 'name') for l in ls.findall(NS + 'license')]
        if licences and url:
            break
        p = root.find(NS + 'parent')
        if p is None:
            break
        g, a, v = text(p, 'groupId'), text(p, 'artifactId'), text(p, 'version')
    return name, url, licences

# POMs that name no licence: what the project's site says
KNOWN = {'com.h2database:h2': ['MPL 2.0 or EPL 1.0 (dual)']}

rows = []
for line in open(sys.argv[1]):
    m = re.match(r'\s+([^:\s]+):([^:]+):jar:(?:[^:]+:)?([^:]+):(compile|runtime)', line)
    if m:
        g, a, v = m.group(1), m.group(2), m.group(3)
        name, url, licences = info(g, a, v)
        licences = licences or KNOWN.get(f'{g}:{a}', [])
        rows.append((f'{a}-{v}.jar', g, name, url, licences))

print('AppMetrica Logs API -> ClickHouse loader')
print('Licensed under the Apache License, Version 2.0 (see LICENSE).')
print()
print('This distribution bundles the following libraries in lib/, each under its own licence as named by its')
print('project (the licence texts are in the libraries\' jars or at the projects\' sites):')
for jar, g, name, url, licences in sorted(rows):
    print()
    print(f'{jar}  ({g})')
    if name:
        print(f'  {name}' + (f'  {url}' if url else ''))
    print('  Licence: ' + ('; '.join(l for l in licences if l) if licences else 'see the project'))

"""Writes a synthetic PostgreSQL stderr log with pgaudit records, for the usage benchmark.

Shaped like a busy server's log with log_line_prefix '%m [%p] %q%u@%d ': 2,000 login roles
in 7 teams over 400 tables, each role working on 3 to 12 tables of its team's (what its job
needs, as in real logs; a few roles reach across), session records (READ/WRITE, log_relation on) and object
records, statements up to 12 lines long (continuation lines start with a tab), and the other
lines a server writes (connections, checkpoints, errors with STATEMENT lines).
With SHAPE uniform every role touches any table (2,000 x 400 x 3 possible uses): the stress
case for memory, which grows with distinct uses, not with the log.
Usage: synthetic-pgaudit-log.py OUT SIZE_MB [teams|uniform]
"""
import random
import sys

out, size_mb = sys.argv[1], int(sys.argv[2])
uniform = len(sys.argv) > 3 and sys.argv[3] == "uniform"
rng = random.Random(7)
roles = [f"user_{i:04d}" for i in range(2000)]
schemas = ["support", "billing", "crm", "ops", "analytics", "hr", "public"]
tables = [f"{rng.choice(schemas)}.table_{i:03d}" for i in range(400)]
by_schema = {schema: [t for t in tables if t.startswith(schema + ".")] for schema in schemas}
works_on = {}
for role in roles:
    team = by_schema[rng.choice(schemas)]
    works_on[role] = rng.sample(team, min(len(team), rng.randrange(3, 13)))
    if rng.random() < 0.05:
        works_on[role].append(rng.choice(tables))
target = size_mb << 20
written = 0
second = 0
with open(out, "w") as f:
    while written < target:
        block = []
        for _ in range(2000):
            second += 1
            ts = f"2026-{1 + (second // 2_600_000) % 12:02d}-{1 + (second // 86_400) % 28:02d} {(second // 3600) % 24:02d}:{(second // 60) % 60:02d}:{second % 60:02d}.{rng.randrange(1000):03d} UTC"
            pid = rng.randrange(1000, 99999)
            role = rng.choice(roles)
            kind = rng.random()
            head = f"{ts} [{pid}] {role}@support "
            if kind < 0.55:
                table = rng.choice(tables if uniform else works_on[role])
                lines = rng.randrange(1, 12)
                statement = "select id, email, phone\n" + "\n".join(f"  from {table} where x = {n}" for n in range(lines))
                quoted = '"' + statement.replace('"', '""').replace("\n", "\n\t") + '"'
                audit = rng.choice([("SESSION", "READ", "SELECT"), ("SESSION", "WRITE", "UPDATE"), ("OBJECT", "READ", "SELECT")])
                block.append(f"{head}LOG:  AUDIT: {audit[0]},{second},1,{audit[1]},{audit[2]},TABLE,{table},{quoted},<not logged>")
            elif kind < 0.75:
                block.append(f"{head}LOG:  connection authorized: user={role} database=support application_name=psql")
            elif kind < 0.85:
                block.append(f"{head}ERROR:  permission denied for table {rng.choice(tables).split('.')[1]}")
                block.append(f"{head}STATEMENT:  select * from {rng.choice(tables)}\n\twhere id = 1")
            else:
                block.append(f"{ts} [{pid}] LOG:  checkpoint complete: wrote {rng.randrange(1000)} buffers")
        text = "\n".join(block) + "\n"
        f.write(text)
        written += len(text)

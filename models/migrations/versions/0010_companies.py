"""companies of several groups: a head office, its teams and partner rooms, and join codes

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 07:00:00

New tables only: `company`; `company_group`, a team's place in a company (its key is the team,
so a team is in one company at most; one head office per company, by a partial unique index;
a partner room's partner is one of the head office's partners); `join_code`, single-use codes
valid for a day, kept as their SHA-256. No team is in a company after the upgrade, so every
group works as before and nothing is backfilled; the downgrade drops the three tables and
leaves every team's own rows as they are.

The customer register's scope, for the slice that makes it company-wide: a customer's name is
unique (by its normalised key) per company while its group is in one, per team otherwise. It
stays `UNIQUE (team_id, normalized_name)` in the schema, and the company-wide rule is the
register's (bot.services.customers) across the member teams' customers, which that index
already serves (`team_id IN (…) AND normalized_name = ?`): a group joins with the customers
it has, and a name two groups already both have is kept in both and reported, never merged
or refused by a constraint. This revision does not change customer uniqueness.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.types


revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "company",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "join_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("issued_by", sa.BigInteger(), nullable=True),
        sa.Column("issued_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("used_by_team_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["used_by_team_id"], ["team.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code_hash"),
    )
    with op.batch_alter_table("join_code", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_join_code_company_id"), ["company_id"], unique=False)

    op.create_table(
        "company_group",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("joined_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("joined_by", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["partner_id"], ["partner.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("team_id"),
    )
    with op.batch_alter_table("company_group", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_company_group_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(
            "uq_company_group_head_office",
            ["company_id"],
            unique=True,
            postgresql_where=sa.text("kind = 'head_office'"),
            sqlite_where=sa.text("kind = 'head_office'"),
        )


def downgrade() -> None:
    with op.batch_alter_table("company_group", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_company_group_head_office",
            postgresql_where=sa.text("kind = 'head_office'"),
            sqlite_where=sa.text("kind = 'head_office'"),
        )
        batch_op.drop_index(batch_op.f("ix_company_group_company_id"))

    op.drop_table("company_group")
    with op.batch_alter_table("join_code", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_join_code_company_id"))

    op.drop_table("join_code")
    op.drop_table("company")

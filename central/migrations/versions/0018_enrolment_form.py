"""An enrolment code remembers the console form that made it (#15).

Revision ID: 0018_enrolment_form
Revises: 0017_erasures_feed

`enrolment_codes.form_hash`: the SHA-256 of the one-time token of the console's form that
made the code, unique. Refreshing the page that showed the code sends the form again; the
same token makes no second code (`central.admin.service.issue_enrolment_code`). Empty for
the codes made before, and for those the API and the command line make.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_enrolment_form"
down_revision = "0017_erasures_feed"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("enrolment_codes", sa.Column("form_hash", sa.String(64)))
    op.create_index("ux_enrolment_codes_form", "enrolment_codes", ["form_hash"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_enrolment_codes_form", "enrolment_codes")
    with op.batch_alter_table("enrolment_codes") as batch:
        batch.drop_column("form_hash")

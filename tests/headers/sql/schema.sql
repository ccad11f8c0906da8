-- SPDX-FileCopyrightText: 2024 Data Authors
-- SPDX-License-Identifier: PostgreSQL
CREATE TABLE t (note text DEFAULT '-- SPDX-License-Identifier: MIT');

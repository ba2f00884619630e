import { migration001 } from './001-initial';
import { migration002 } from './002-reaction-intake';
import { migration003 } from './003-flag-drafts';
import { migration004 } from './004-outbox-claims';
import { migration005 } from './005-drop-outbox-open';
import { migration006 } from './006-every-review-dm';
import { migration007 } from './007-moments-by-creation';
import { migration008 } from './008-open-by-channel';
import { migration009 } from './009-drop-moments-open';
import { migration010 } from './010-flagger-notes';
import { migration011 } from './011-dm-reasons';
import { migration012 } from './012-roster-shown';
import { migration013 } from './013-reflag-withdrawn';
import { migration014 } from './014-dm-asked';
import { migration015 } from './015-source-thread';
import { migration016 } from './016-source-permalink';
import { migration017 } from './017-outbox-indexes-again';
import { migration018 } from './018-held-roles';
import { migration019 } from './019-home-viewers';
import { migration020 } from './020-open-assignments';
import { migration021 } from './021-repeat-flag-index';
import { migration022 } from './022-reflag-expired';
import { migration023 } from './023-card-refused';
import { migration024 } from './024-expired-by-source';
import { migration025 } from './025-clock-steps';
import { migration026 } from './026-source-edited';

/** Numbered migrations, applied in order; migrations[i] takes the schema from version i to i + 1. */
export const migrations: readonly string[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008, migration009, migration010, migration011, migration012, migration013, migration014, migration015, migration016, migration017, migration018, migration019, migration020, migration021, migration022, migration023, migration024, migration025, migration026];

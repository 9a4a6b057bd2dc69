-- The part of a Lemmy 0.19 database that `agora import lemmy` reads: tables, columns and types as Lemmy 0.19
-- has them (its published schema facts), written here in our own words. Indexes, triggers and aggregate tables
-- that the importer does not read are left out.
CREATE EXTENSION IF NOT EXISTS ltree;

CREATE TYPE community_visibility AS ENUM ('Public', 'LocalOnly');
CREATE TYPE listing_type_enum AS ENUM ('All', 'Local', 'Subscribed', 'ModeratorView');
CREATE TYPE sort_type_enum AS ENUM ('Active', 'Hot', 'New', 'Old', 'TopDay', 'TopWeek', 'TopMonth', 'TopYear',
  'TopAll', 'MostComments', 'NewComments', 'TopHour', 'TopSixHour', 'TopTwelveHour', 'TopThreeMonths',
  'TopSixMonths', 'TopNineMonths', 'Controversial', 'Scaled');
CREATE TYPE registration_mode_enum AS ENUM ('Closed', 'RequireApplication', 'Open');
CREATE TYPE post_listing_mode_enum AS ENUM ('List', 'Card', 'SmallCard');

CREATE TABLE instance (
  id serial PRIMARY KEY, domain varchar(255) NOT NULL UNIQUE,
  published timestamptz NOT NULL DEFAULT now(), updated timestamptz,
  software varchar(255), version varchar(255));

CREATE TABLE site (
  id serial PRIMARY KEY, name varchar(20) NOT NULL UNIQUE, sidebar text,
  published timestamptz NOT NULL DEFAULT now(), updated timestamptz, icon text, banner text,
  description varchar(150), actor_id varchar(255) NOT NULL UNIQUE,
  last_refreshed_at timestamptz NOT NULL DEFAULT now(), inbox_url varchar(255) NOT NULL,
  private_key text, public_key text NOT NULL, instance_id int NOT NULL UNIQUE REFERENCES instance ON DELETE CASCADE,
  content_warning text);

CREATE TABLE local_site (
  id serial PRIMARY KEY, site_id int NOT NULL UNIQUE REFERENCES site ON DELETE CASCADE,
  site_setup boolean NOT NULL DEFAULT false, enable_downvotes boolean NOT NULL DEFAULT true,
  enable_nsfw boolean NOT NULL DEFAULT true, community_creation_admin_only boolean NOT NULL DEFAULT false,
  require_email_verification boolean NOT NULL DEFAULT false, application_question text,
  private_instance boolean NOT NULL DEFAULT false, default_theme text NOT NULL DEFAULT 'browser',
  default_post_listing_type listing_type_enum NOT NULL DEFAULT 'Local', legal_information text,
  hide_modlog_mod_names boolean NOT NULL DEFAULT true, application_email_admins boolean NOT NULL DEFAULT false,
  slur_filter_regex text, actor_name_max_length int NOT NULL DEFAULT 20,
  federation_enabled boolean NOT NULL DEFAULT true, captcha_enabled boolean NOT NULL DEFAULT false,
  captcha_difficulty varchar(255) NOT NULL DEFAULT 'medium', published timestamptz NOT NULL DEFAULT now(),
  updated timestamptz, registration_mode registration_mode_enum NOT NULL DEFAULT 'RequireApplication',
  reports_email_admins boolean NOT NULL DEFAULT false, federation_signed_fetch boolean NOT NULL DEFAULT false,
  default_post_listing_mode post_listing_mode_enum NOT NULL DEFAULT 'List',
  default_sort_type sort_type_enum NOT NULL DEFAULT 'Active');

CREATE TABLE local_site_rate_limit (
  local_site_id int PRIMARY KEY REFERENCES local_site ON DELETE CASCADE,
  message int NOT NULL DEFAULT 180, message_per_second int NOT NULL DEFAULT 60, post int NOT NULL DEFAULT 6,
  post_per_second int NOT NULL DEFAULT 600, register int NOT NULL DEFAULT 3,
  register_per_second int NOT NULL DEFAULT 3600, image int NOT NULL DEFAULT 6,
  image_per_second int NOT NULL DEFAULT 3600, comment int NOT NULL DEFAULT 6,
  comment_per_second int NOT NULL DEFAULT 600, search int NOT NULL DEFAULT 60,
  search_per_second int NOT NULL DEFAULT 600, published timestamptz NOT NULL DEFAULT now(), updated timestamptz,
  import_user_settings int NOT NULL DEFAULT 1, import_user_settings_per_second int NOT NULL DEFAULT 86400);

CREATE TABLE tagline (
  id serial PRIMARY KEY, local_site_id int NOT NULL REFERENCES local_site ON DELETE CASCADE, content text NOT NULL,
  published timestamptz NOT NULL DEFAULT now(), updated timestamptz);

CREATE TABLE custom_emoji (
  id serial PRIMARY KEY, local_site_id int NOT NULL REFERENCES local_site ON DELETE CASCADE,
  shortcode varchar(128) NOT NULL UNIQUE, image_url text NOT NULL UNIQUE, alt_text text NOT NULL,
  category text NOT NULL, published timestamptz NOT NULL DEFAULT now(), updated timestamptz);
CREATE TABLE custom_emoji_keyword (
  custom_emoji_id int NOT NULL REFERENCES custom_emoji ON DELETE CASCADE, keyword varchar(128) NOT NULL,
  PRIMARY KEY (custom_emoji_id, keyword));

CREATE TABLE person (
  id serial PRIMARY KEY, name varchar(255) NOT NULL, display_name varchar(255), avatar text,
  banned boolean NOT NULL DEFAULT false, published timestamptz NOT NULL DEFAULT now(), updated timestamptz,
  actor_id varchar(255) NOT NULL UNIQUE, bio text, local boolean NOT NULL DEFAULT true, private_key text,
  public_key text NOT NULL, last_refreshed_at timestamptz NOT NULL DEFAULT now(), banner text,
  deleted boolean NOT NULL DEFAULT false, inbox_url varchar(255) NOT NULL, shared_inbox_url varchar(255),
  matrix_user_id text, bot_account boolean NOT NULL DEFAULT false, ban_expires timestamptz,
  instance_id int NOT NULL REFERENCES instance ON DELETE CASCADE);

CREATE TABLE local_user (
  id serial PRIMARY KEY, person_id int NOT NULL UNIQUE REFERENCES person ON DELETE CASCADE,
  password_encrypted text NOT NULL, email text UNIQUE, show_nsfw boolean NOT NULL DEFAULT false,
  theme text NOT NULL DEFAULT 'browser', default_sort_type sort_type_enum NOT NULL DEFAULT 'Active',
  default_listing_type listing_type_enum NOT NULL DEFAULT 'Local', interface_language varchar(20) NOT NULL
  DEFAULT 'browser', show_avatars boolean NOT NULL DEFAULT true, send_notifications_to_email boolean NOT NULL
  DEFAULT false, show_scores boolean NOT NULL DEFAULT true, show_bot_accounts boolean NOT NULL DEFAULT true,
  show_read_posts boolean NOT NULL DEFAULT true, email_verified boolean NOT NULL DEFAULT false,
  accepted_application boolean NOT NULL DEFAULT false, totp_2fa_secret text,
  open_links_in_new_tab boolean NOT NULL DEFAULT false, blur_nsfw boolean NOT NULL DEFAULT true,
  auto_expand boolean NOT NULL DEFAULT false, infinite_scroll_enabled boolean NOT NULL DEFAULT false,
  admin boolean NOT NULL DEFAULT false, post_listing_mode post_listing_mode_enum NOT NULL DEFAULT 'List',
  totp_2fa_enabled boolean NOT NULL DEFAULT false, enable_keyboard_navigation boolean NOT NULL DEFAULT false,
  enable_animated_images boolean NOT NULL DEFAULT true, collapse_bot_comments boolean NOT NULL DEFAULT false,
  last_donation_notification timestamptz NOT NULL DEFAULT now());

CREATE TABLE registration_application (
  id serial PRIMARY KEY, local_user_id int NOT NULL UNIQUE REFERENCES local_user ON DELETE CASCADE,
  answer text NOT NULL, admin_id int REFERENCES person ON DELETE CASCADE, deny_reason text,
  published timestamptz NOT NULL DEFAULT now());

CREATE TABLE local_image (
  local_user_id int REFERENCES local_user ON DELETE CASCADE, pictrs_alias text PRIMARY KEY,
  pictrs_delete_token text NOT NULL, published timestamptz NOT NULL DEFAULT now());

CREATE TABLE secret (id serial PRIMARY KEY, jwt_secret varchar NOT NULL DEFAULT gen_random_uuid());

CREATE TABLE login_token (
  token text PRIMARY KEY, user_id int NOT NULL REFERENCES local_user ON DELETE CASCADE,
  published timestamptz NOT NULL DEFAULT now(), ip text, user_agent text);

CREATE TABLE instance_block (
  person_id int NOT NULL REFERENCES person ON DELETE CASCADE, instance_id int NOT NULL REFERENCES instance
  ON DELETE CASCADE, published timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (person_id, instance_id));

CREATE TABLE person_block (
  person_id int NOT NULL REFERENCES person ON DELETE CASCADE, target_id int NOT NULL REFERENCES person
  ON DELETE CASCADE, published timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (person_id, target_id));

CREATE TABLE community (
  id serial PRIMARY KEY, name varchar(255) NOT NULL, title varchar(255) NOT NULL, description text,
  removed boolean NOT NULL DEFAULT false, published timestamptz NOT NULL DEFAULT now(), updated timestamptz,
  deleted boolean NOT NULL DEFAULT false, nsfw boolean NOT NULL DEFAULT false, actor_id varchar(255) NOT NULL
  UNIQUE, local boolean NOT NULL DEFAULT true, private_key text, public_key text NOT NULL,
  last_refreshed_at timestamptz NOT NULL DEFAULT now(), icon text, banner text, followers_url varchar(255),
  inbox_url varchar(255) NOT NULL, shared_inbox_url varchar(255), hidden boolean NOT NULL DEFAULT false,
  posting_restricted_to_mods boolean NOT NULL DEFAULT false, instance_id int NOT NULL REFERENCES instance
  ON DELETE CASCADE, moderators_url varchar(255), featured_url varchar(255),
  visibility community_visibility NOT NULL DEFAULT 'Public');

CREATE TABLE community_moderator (
  community_id int NOT NULL REFERENCES community ON DELETE CASCADE, person_id int NOT NULL REFERENCES person
  ON DELETE CASCADE, published timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (person_id, community_id));
CREATE TABLE community_follower (
  community_id int NOT NULL REFERENCES community ON DELETE CASCADE, person_id int NOT NULL REFERENCES person
  ON DELETE CASCADE, published timestamptz NOT NULL DEFAULT now(), pending boolean NOT NULL DEFAULT false,
  PRIMARY KEY (person_id, community_id));
CREATE TABLE community_person_ban (
  community_id int NOT NULL REFERENCES community ON DELETE CASCADE, person_id int NOT NULL REFERENCES person
  ON DELETE CASCADE, published timestamptz NOT NULL DEFAULT now(), expires timestamptz,
  PRIMARY KEY (person_id, community_id));
CREATE TABLE community_block (
  person_id int NOT NULL REFERENCES person ON DELETE CASCADE, community_id int NOT NULL REFERENCES community
  ON DELETE CASCADE, published timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (person_id, community_id));

CREATE TABLE post (
  id serial PRIMARY KEY, name varchar(200) NOT NULL, url varchar(2000), body text,
  creator_id int NOT NULL REFERENCES person ON DELETE CASCADE, community_id int NOT NULL REFERENCES community
  ON DELETE CASCADE, removed boolean NOT NULL DEFAULT false, locked boolean NOT NULL DEFAULT false,
  published timestamptz NOT NULL DEFAULT now(), updated timestamptz, deleted boolean NOT NULL DEFAULT false,
  nsfw boolean NOT NULL DEFAULT false, embed_title text, embed_description text, thumbnail_url text,
  ap_id varchar(255) NOT NULL UNIQUE, local boolean NOT NULL DEFAULT true, embed_video_url text,
  language_id int NOT NULL DEFAULT 0, featured_community boolean NOT NULL DEFAULT false,
  featured_local boolean NOT NULL DEFAULT false, url_content_type text, alt_text text);

CREATE TABLE comment (
  id serial PRIMARY KEY, creator_id int NOT NULL REFERENCES person ON DELETE CASCADE,
  post_id int NOT NULL REFERENCES post ON DELETE CASCADE, content text NOT NULL,
  removed boolean NOT NULL DEFAULT false, published timestamptz NOT NULL DEFAULT now(), updated timestamptz,
  deleted boolean NOT NULL DEFAULT false, ap_id varchar(255) NOT NULL UNIQUE, local boolean NOT NULL DEFAULT true,
  path ltree NOT NULL DEFAULT '0', distinguished boolean NOT NULL DEFAULT false,
  language_id int NOT NULL DEFAULT 0);

CREATE TABLE post_like (
  post_id int NOT NULL REFERENCES post ON DELETE CASCADE, person_id int NOT NULL REFERENCES person
  ON DELETE CASCADE, score smallint NOT NULL, published timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (person_id, post_id));
CREATE TABLE comment_like (
  person_id int NOT NULL REFERENCES person ON DELETE CASCADE, comment_id int NOT NULL REFERENCES comment
  ON DELETE CASCADE, post_id int NOT NULL REFERENCES post ON DELETE CASCADE, score smallint NOT NULL,
  published timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (person_id, comment_id));
CREATE TABLE post_saved (
  post_id int NOT NULL REFERENCES post ON DELETE CASCADE, person_id int NOT NULL REFERENCES person
  ON DELETE CASCADE, published timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (person_id, post_id));
CREATE TABLE comment_saved (
  comment_id int NOT NULL REFERENCES comment ON DELETE CASCADE, person_id int NOT NULL REFERENCES person
  ON DELETE CASCADE, published timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (person_id, comment_id));
CREATE TABLE post_read (
  post_id int NOT NULL REFERENCES post ON DELETE CASCADE, person_id int NOT NULL REFERENCES person
  ON DELETE CASCADE, published timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (person_id, post_id));

CREATE TABLE post_hide (
  post_id int NOT NULL REFERENCES post ON DELETE CASCADE, person_id int NOT NULL REFERENCES person
  ON DELETE CASCADE, published timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (person_id, post_id));

CREATE TABLE private_message (
  id serial PRIMARY KEY, creator_id int NOT NULL REFERENCES person ON DELETE CASCADE,
  recipient_id int NOT NULL REFERENCES person ON DELETE CASCADE, content text NOT NULL,
  deleted boolean NOT NULL DEFAULT false, read boolean NOT NULL DEFAULT false,
  published timestamptz NOT NULL DEFAULT now(), updated timestamptz, ap_id varchar(255) NOT NULL UNIQUE,
  local boolean NOT NULL DEFAULT true, removed boolean NOT NULL DEFAULT false);

CREATE TABLE post_report (
  id serial PRIMARY KEY, creator_id int NOT NULL REFERENCES person ON DELETE CASCADE,
  post_id int NOT NULL REFERENCES post ON DELETE CASCADE, original_post_name varchar(200) NOT NULL,
  original_post_url text, original_post_body text, reason text NOT NULL, resolved boolean NOT NULL DEFAULT false,
  resolver_id int REFERENCES person ON DELETE CASCADE, published timestamptz NOT NULL DEFAULT now(),
  updated timestamptz);
CREATE TABLE comment_report (
  id serial PRIMARY KEY, creator_id int NOT NULL REFERENCES person ON DELETE CASCADE,
  comment_id int NOT NULL REFERENCES comment ON DELETE CASCADE, original_comment_text text NOT NULL,
  reason text NOT NULL, resolved boolean NOT NULL DEFAULT false, resolver_id int REFERENCES person
  ON DELETE CASCADE, published timestamptz NOT NULL DEFAULT now(), updated timestamptz);

-- The modlog: one table per kind of action, `when_` the time it was taken.
CREATE TABLE mod_remove_post (id serial PRIMARY KEY, mod_person_id int NOT NULL REFERENCES person,
  post_id int NOT NULL REFERENCES post, reason text, removed boolean NOT NULL DEFAULT true,
  when_ timestamptz NOT NULL DEFAULT now());
CREATE TABLE mod_lock_post (id serial PRIMARY KEY, mod_person_id int NOT NULL REFERENCES person,
  post_id int NOT NULL REFERENCES post, locked boolean NOT NULL DEFAULT true,
  when_ timestamptz NOT NULL DEFAULT now());
CREATE TABLE mod_feature_post (id serial PRIMARY KEY, mod_person_id int NOT NULL REFERENCES person,
  post_id int NOT NULL REFERENCES post, featured boolean NOT NULL DEFAULT true,
  when_ timestamptz NOT NULL DEFAULT now(), is_featured_community boolean NOT NULL DEFAULT true);
CREATE TABLE mod_remove_comment (id serial PRIMARY KEY, mod_person_id int NOT NULL REFERENCES person,
  comment_id int NOT NULL REFERENCES comment, reason text, removed boolean NOT NULL DEFAULT true,
  when_ timestamptz NOT NULL DEFAULT now());
CREATE TABLE mod_remove_community (id serial PRIMARY KEY, mod_person_id int NOT NULL REFERENCES person,
  community_id int NOT NULL REFERENCES community, reason text, removed boolean NOT NULL DEFAULT true,
  when_ timestamptz NOT NULL DEFAULT now());
CREATE TABLE mod_ban_from_community (id serial PRIMARY KEY, mod_person_id int NOT NULL REFERENCES person,
  other_person_id int NOT NULL REFERENCES person, community_id int NOT NULL REFERENCES community, reason text,
  banned boolean NOT NULL DEFAULT true, expires timestamptz, when_ timestamptz NOT NULL DEFAULT now());
CREATE TABLE mod_add_community (id serial PRIMARY KEY, mod_person_id int NOT NULL REFERENCES person,
  other_person_id int NOT NULL REFERENCES person, community_id int NOT NULL REFERENCES community,
  removed boolean NOT NULL DEFAULT false, when_ timestamptz NOT NULL DEFAULT now());
CREATE TABLE mod_transfer_community (id serial PRIMARY KEY, mod_person_id int NOT NULL REFERENCES person,
  other_person_id int NOT NULL REFERENCES person, community_id int NOT NULL REFERENCES community,
  when_ timestamptz NOT NULL DEFAULT now());
CREATE TABLE mod_add (id serial PRIMARY KEY, mod_person_id int NOT NULL REFERENCES person,
  other_person_id int NOT NULL REFERENCES person, removed boolean NOT NULL DEFAULT false,
  when_ timestamptz NOT NULL DEFAULT now());
CREATE TABLE mod_ban (id serial PRIMARY KEY, mod_person_id int NOT NULL REFERENCES person,
  other_person_id int NOT NULL REFERENCES person, reason text, banned boolean NOT NULL DEFAULT true,
  expires timestamptz, when_ timestamptz NOT NULL DEFAULT now());
CREATE TABLE mod_hide_community (id serial PRIMARY KEY, community_id int NOT NULL REFERENCES community,
  mod_person_id int NOT NULL REFERENCES person, when_ timestamptz NOT NULL DEFAULT now(), reason text,
  hidden boolean NOT NULL DEFAULT false);
CREATE TABLE admin_purge_person (id serial PRIMARY KEY, admin_person_id int NOT NULL REFERENCES person,
  reason text, when_ timestamptz NOT NULL DEFAULT now());
CREATE TABLE admin_purge_community (id serial PRIMARY KEY, admin_person_id int NOT NULL REFERENCES person,
  reason text, when_ timestamptz NOT NULL DEFAULT now());
CREATE TABLE admin_purge_post (id serial PRIMARY KEY, admin_person_id int NOT NULL REFERENCES person,
  community_id int NOT NULL REFERENCES community, reason text, when_ timestamptz NOT NULL DEFAULT now());
CREATE TABLE admin_purge_comment (id serial PRIMARY KEY, admin_person_id int NOT NULL REFERENCES person,
  post_id int NOT NULL REFERENCES post, reason text, when_ timestamptz NOT NULL DEFAULT now());

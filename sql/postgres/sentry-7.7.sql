-- Sentry 7.7.0 schema (postgres), as Django 1.6 + South 1.0 leave it after `sentry upgrade`
-- (sentry migrations 0001..0190, nodestore 0001, search 0001-0002, social_auth 0001-0002,
-- kombu "django" 0001, plus Django syncdb tables). Reproduced by replaying the 7.7.0 migration
-- files of tag 7.7.0 with the Django 1.6 / South 1.0.1 naming rules.
-- Tokens: {{PKID}} = BoundedBigAutoField primary key, {{FKID}} = FlexibleForeignKey to one,
-- both follow SENTRY_USE_BIG_INTS. Everything else is literal.
-- Every statement ends with a semicolon at the end of a line, and none contains one.

CREATE TABLE "auth_group" (
    "id" serial NOT NULL,
    "name" varchar(80) NOT NULL,
    CONSTRAINT "auth_group_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "auth_group_name_key" UNIQUE ("name")
);

CREATE TABLE "django_content_type" (
    "id" serial NOT NULL,
    "name" varchar(100) NOT NULL,
    "app_label" varchar(100) NOT NULL,
    "model" varchar(100) NOT NULL,
    CONSTRAINT "django_content_type_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "django_content_type_app_label_model_key" UNIQUE ("app_label", "model")
);

CREATE TABLE "auth_permission" (
    "id" serial NOT NULL,
    "name" varchar(50) NOT NULL,
    "content_type_id" integer NOT NULL,
    "codename" varchar(100) NOT NULL,
    CONSTRAINT "auth_permission_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "auth_permission_content_type_id_codename_key" UNIQUE ("content_type_id", "codename")
);

CREATE TABLE "auth_group_permissions" (
    "id" serial NOT NULL,
    "group_id" integer NOT NULL,
    "permission_id" integer NOT NULL,
    CONSTRAINT "auth_group_permissions_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "auth_group_permissions_group_id_permission_id_key" UNIQUE ("group_id", "permission_id")
);

CREATE TABLE "django_session" (
    "session_key" varchar(40) NOT NULL,
    "session_data" text NOT NULL,
    "expire_date" timestamp with time zone NOT NULL,
    CONSTRAINT "django_session_pkey" PRIMARY KEY ("session_key")
);

CREATE TABLE "django_site" (
    "id" serial NOT NULL,
    "domain" varchar(100) NOT NULL,
    "name" varchar(50) NOT NULL,
    CONSTRAINT "django_site_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "south_migrationhistory" (
    "id" serial NOT NULL,
    "app_name" varchar(255) NOT NULL,
    "migration" varchar(255) NOT NULL,
    "applied" timestamp with time zone NOT NULL,
    CONSTRAINT "south_migrationhistory_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "djkombu_queue" (
    "id" serial NOT NULL,
    "name" varchar(200) NOT NULL,
    CONSTRAINT "djkombu_queue_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "djkombu_queue_name_key" UNIQUE ("name")
);

CREATE TABLE "djkombu_message" (
    "id" serial NOT NULL,
    "visible" boolean NOT NULL,
    "sent_at" timestamp with time zone NULL,
    "payload" text NOT NULL,
    "queue_id" integer NOT NULL,
    CONSTRAINT "djkombu_message_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "auth_user" (
    "password" varchar(128) NOT NULL,
    "last_login" timestamp with time zone NOT NULL,
    "id" serial NOT NULL,
    "username" varchar(128) NOT NULL,
    "first_name" varchar(30) NOT NULL,
    "last_name" varchar(30) NOT NULL,
    "email" varchar(75) NOT NULL,
    "is_staff" boolean NOT NULL,
    "is_active" boolean NOT NULL,
    "is_superuser" boolean NOT NULL,
    "date_joined" timestamp with time zone NOT NULL,
    "is_managed" boolean NOT NULL,
    CONSTRAINT "auth_user_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "auth_user_username_key" UNIQUE ("username")
);

CREATE TABLE "django_admin_log" (
    "id" serial NOT NULL,
    "action_time" timestamp with time zone NOT NULL,
    "user_id" integer NOT NULL,
    "content_type_id" integer NULL,
    "object_id" text NULL,
    "object_repr" varchar(200) NOT NULL,
    "action_flag" smallint NOT NULL,
    "change_message" text NOT NULL,
    CONSTRAINT "django_admin_log_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "django_admin_log_action_flag_check" CHECK ("action_flag" >= 0)
);

CREATE TABLE "sentry_messageindex" (
    "id" {{PKID}} NOT NULL,
    "object_id" integer NOT NULL,
    "column" varchar(32) NOT NULL,
    "value" varchar(128) NOT NULL,
    CONSTRAINT "sentry_messageindex_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_messageindex_column_23431fca14e385c1_uniq" UNIQUE ("column", "value", "object_id"),
    CONSTRAINT "sentry_messageindex_object_id_check" CHECK ("object_id" >= 0)
);

CREATE TABLE "sentry_option" (
    "id" {{PKID}} NOT NULL,
    "key" varchar(64) NOT NULL,
    "value" text NOT NULL,
    "last_updated" timestamp with time zone NOT NULL,
    CONSTRAINT "sentry_option_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_option_key_uniq" UNIQUE ("key")
);

CREATE TABLE "sentry_lostpasswordhash" (
    "id" {{PKID}} NOT NULL,
    "user_id" integer NOT NULL,
    "hash" varchar(32) NOT NULL,
    "date_added" timestamp with time zone NOT NULL,
    CONSTRAINT "sentry_lostpasswordhash_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_lostpasswordhash_user_id_key" UNIQUE ("user_id")
);

CREATE TABLE "sentry_broadcast" (
    "id" {{PKID}} NOT NULL,
    "message" varchar(256) NOT NULL,
    "link" varchar(200) NULL,
    "badge" varchar(32) NULL,
    "is_active" boolean NOT NULL,
    "date_added" timestamp with time zone NOT NULL,
    CONSTRAINT "sentry_broadcast_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "sentry_organization" (
    "id" {{PKID}} NOT NULL,
    "name" varchar(64) NOT NULL,
    "owner_id" integer NOT NULL,
    "status" integer NOT NULL,
    "date_added" timestamp with time zone NOT NULL,
    "slug" varchar(50) NOT NULL,
    "flags" bigint NOT NULL,
    CONSTRAINT "sentry_organization_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_organization_slug_key" UNIQUE ("slug"),
    CONSTRAINT "sentry_organization_status_check" CHECK ("status" >= 0)
);

CREATE TABLE "sentry_team" (
    "id" {{PKID}} NOT NULL,
    "slug" varchar(50) NOT NULL,
    "name" varchar(64) NOT NULL,
    "date_added" timestamp with time zone NULL,
    "status" integer NOT NULL,
    "organization_id" {{FKID}} NOT NULL,
    CONSTRAINT "sentry_team_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_team_organization_id_1e0ece47434a2ed_uniq" UNIQUE ("organization_id", "slug"),
    CONSTRAINT "sentry_team_status_check" CHECK ("status" >= 0),
    CONSTRAINT "ck_status_pstv_1772e42d30eba7ba" CHECK ("status" >= 0)
);

CREATE TABLE "sentry_project" (
    "id" {{PKID}} NOT NULL,
    "name" varchar(200) NOT NULL,
    "public" boolean NOT NULL,
    "date_added" timestamp with time zone NOT NULL,
    "status" integer NOT NULL,
    "slug" varchar(50) NULL,
    "team_id" {{FKID}} NOT NULL,
    "platform" varchar(32) NULL,
    "organization_id" {{FKID}} NOT NULL,
    CONSTRAINT "sentry_project_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_project_slug_7e0cc0d379eb3e42_uniq" UNIQUE ("slug", "team_id"),
    CONSTRAINT "sentry_project_organization_id_3017a54aeb676236_uniq" UNIQUE ("organization_id", "slug"),
    CONSTRAINT "sentry_project_status_check" CHECK ("status" >= 0),
    CONSTRAINT "ck_status_pstv_3af8360b8a37db73" CHECK ("status" >= 0)
);

CREATE TABLE "sentry_filtervalue" (
    "id" {{PKID}} NOT NULL,
    "key" varchar(32) NOT NULL,
    "value" varchar(200) NOT NULL,
    "project_id" {{FKID}} NULL,
    "times_seen" integer NOT NULL,
    "last_seen" timestamp with time zone NULL,
    "first_seen" timestamp with time zone NULL,
    "data" text NULL,
    CONSTRAINT "sentry_filtervalue_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_filtervalue_project_id_201b156195347397_uniq" UNIQUE ("project_id", "key", "value"),
    CONSTRAINT "sentry_filtervalue_times_seen_check" CHECK ("times_seen" >= 0),
    CONSTRAINT "ck_times_seen_pstv_10c4372f28cef967" CHECK ("times_seen" >= 0)
);

CREATE TABLE "sentry_projectoptions" (
    "id" {{PKID}} NOT NULL,
    "project_id" {{FKID}} NOT NULL,
    "key" varchar(64) NOT NULL,
    "value" text NOT NULL,
    CONSTRAINT "sentry_projectoptions_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_projectoptions_project_id_2d0b5c5d84cdbe8f_uniq" UNIQUE ("project_id", "key")
);

CREATE TABLE "sentry_projectkey" (
    "id" {{PKID}} NOT NULL,
    "project_id" {{FKID}} NOT NULL,
    "public_key" varchar(32) NULL,
    "secret_key" varchar(32) NULL,
    "date_added" timestamp with time zone NULL,
    "roles" bigint NOT NULL,
    "label" varchar(64) NULL,
    "status" integer NOT NULL,
    CONSTRAINT "sentry_projectkey_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_projectkey_public_key_key" UNIQUE ("public_key"),
    CONSTRAINT "sentry_projectkey_secret_key_key" UNIQUE ("secret_key"),
    CONSTRAINT "sentry_projectkey_status_check" CHECK ("status" >= 0),
    CONSTRAINT "ck_status_pstv_1f17c0d00e89ed63" CHECK ("status" >= 0)
);

CREATE TABLE "sentry_useroption" (
    "id" {{PKID}} NOT NULL,
    "user_id" integer NOT NULL,
    "project_id" {{FKID}} NULL,
    "key" varchar(64) NOT NULL,
    "value" text NOT NULL,
    CONSTRAINT "sentry_useroption_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_useroption_user_id_4d4ce0b1f7bb578b_uniq" UNIQUE ("user_id", "project_id", "key")
);

CREATE TABLE "sentry_filterkey" (
    "id" {{PKID}} NOT NULL,
    "project_id" {{FKID}} NOT NULL,
    "key" varchar(32) NOT NULL,
    "values_seen" integer NOT NULL,
    "label" varchar(64) NULL,
    "status" integer NOT NULL,
    CONSTRAINT "sentry_filterkey_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_filterkey_project_id_67551b8e28dda5a_uniq" UNIQUE ("project_id", "key"),
    CONSTRAINT "sentry_filterkey_values_seen_check" CHECK ("values_seen" >= 0),
    CONSTRAINT "ck_values_seen_pstv_12eab0d3ff94a35c" CHECK ("values_seen" >= 0),
    CONSTRAINT "sentry_filterkey_status_check" CHECK ("status" >= 0),
    CONSTRAINT "ck_status_pstv_56aaa5973127b013" CHECK ("status" >= 0)
);

CREATE TABLE "sentry_accessgroup" (
    "id" {{PKID}} NOT NULL,
    "team_id" {{FKID}} NOT NULL,
    "name" varchar(64) NOT NULL,
    "type" integer NOT NULL,
    "managed" boolean NOT NULL,
    "data" text NULL,
    "date_added" timestamp with time zone NOT NULL,
    CONSTRAINT "sentry_accessgroup_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_accessgroup_team_id_2b24bc5cfcd1a84_uniq" UNIQUE ("team_id", "name")
);

CREATE TABLE "sentry_accessgroup_projects" (
    "id" serial NOT NULL,
    "accessgroup_id" {{FKID}} NOT NULL,
    "project_id" {{FKID}} NOT NULL,
    CONSTRAINT "sentry_accessgroup_projects_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_accessgroup_project_accessgroup_id_16d324e6ca4c312f_uniq" UNIQUE ("accessgroup_id", "project_id")
);

CREATE TABLE "sentry_accessgroup_members" (
    "id" serial NOT NULL,
    "accessgroup_id" {{FKID}} NOT NULL,
    "user_id" integer NOT NULL,
    CONSTRAINT "sentry_accessgroup_members_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_accessgroup_members_accessgroup_id_18b186be5753dc4e_uniq" UNIQUE ("accessgroup_id", "user_id")
);

CREATE TABLE "sentry_rule" (
    "id" {{PKID}} NOT NULL,
    "project_id" {{FKID}} NOT NULL,
    "label" varchar(64) NOT NULL,
    "data" text NOT NULL,
    "date_added" timestamp with time zone NOT NULL,
    CONSTRAINT "sentry_rule_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "sentry_release" (
    "id" {{PKID}} NOT NULL,
    "project_id" {{FKID}} NOT NULL,
    "version" varchar(64) NOT NULL,
    "date_added" timestamp with time zone NOT NULL,
    "date_released" timestamp with time zone NULL,
    "ref" varchar(64) NULL,
    "url" varchar(200) NULL,
    "date_started" timestamp with time zone NULL,
    "data" text NOT NULL,
    "new_groups" integer NOT NULL,
    CONSTRAINT "sentry_release_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_release_project_id_7309d47e8f37e7ff_uniq" UNIQUE ("project_id", "version"),
    CONSTRAINT "sentry_release_new_groups_check" CHECK ("new_groups" >= 0),
    CONSTRAINT "ck_new_groups_pstv_2cb74b3445ff4f0c" CHECK ("new_groups" >= 0)
);

CREATE TABLE "sentry_groupedmessage" (
    "id" {{PKID}} NOT NULL,
    "logger" varchar(64) NOT NULL,
    "level" integer NOT NULL,
    "message" text NOT NULL,
    "view" varchar(200) NULL,
    "status" integer NOT NULL,
    "times_seen" integer NOT NULL,
    "last_seen" timestamp with time zone NOT NULL,
    "first_seen" timestamp with time zone NOT NULL,
    "data" text NULL,
    "score" integer NOT NULL,
    "project_id" {{FKID}} NULL,
    "time_spent_total" integer NOT NULL,
    "time_spent_count" integer NOT NULL,
    "resolved_at" timestamp with time zone NULL,
    "active_at" timestamp with time zone NULL,
    "is_public" boolean NULL,
    "platform" varchar(64) NULL,
    "num_comments" integer NULL,
    "first_release_id" {{FKID}} NULL,
    CONSTRAINT "sentry_groupedmessage_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_groupedmessage_level_check" CHECK ("level" >= 0),
    CONSTRAINT "sentry_groupedmessage_status_check" CHECK ("status" >= 0),
    CONSTRAINT "sentry_groupedmessage_times_seen_check" CHECK ("times_seen" >= 0),
    CONSTRAINT "sentry_groupedmessage_num_comments_check" CHECK ("num_comments" >= 0),
    CONSTRAINT "ck_num_comments_pstv_44851d4d5d739eab" CHECK ("num_comments" >= 0)
);

CREATE TABLE "sentry_message" (
    "id" {{PKID}} NOT NULL,
    "message" text NOT NULL,
    "datetime" timestamp with time zone NOT NULL,
    "data" text NULL,
    "group_id" {{FKID}} NULL,
    "message_id" varchar(32) NULL,
    "project_id" {{FKID}} NULL,
    "time_spent" integer NULL,
    "platform" varchar(64) NULL,
    "num_comments" integer NULL,
    CONSTRAINT "sentry_message_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_message_project_id_b6b4e75e438ca83_uniq" UNIQUE ("project_id", "message_id"),
    CONSTRAINT "sentry_message_num_comments_check" CHECK ("num_comments" >= 0),
    CONSTRAINT "ck_num_comments_pstv_27ad3d90f07393a4" CHECK ("num_comments" >= 0)
);

CREATE TABLE "sentry_messagefiltervalue" (
    "id" {{PKID}} NOT NULL,
    "group_id" {{FKID}} NOT NULL,
    "times_seen" integer NOT NULL,
    "key" varchar(32) NOT NULL,
    "value" varchar(200) NOT NULL,
    "project_id" {{FKID}} NULL,
    "last_seen" timestamp with time zone NULL,
    "first_seen" timestamp with time zone NULL,
    CONSTRAINT "sentry_messagefiltervalue_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_messagefiltervalue_project_id_330bd94e129c0cb7_uniq" UNIQUE ("project_id", "group_id", "value", "key"),
    CONSTRAINT "sentry_messagefiltervalue_times_seen_check" CHECK ("times_seen" >= 0)
);

CREATE TABLE "sentry_groupmeta" (
    "id" {{PKID}} NOT NULL,
    "group_id" {{FKID}} NOT NULL,
    "key" varchar(64) NOT NULL,
    "value" text NOT NULL,
    CONSTRAINT "sentry_groupmeta_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_groupmeta_key_5d9d7a3c6538b14d_uniq" UNIQUE ("key", "group_id")
);

CREATE TABLE "sentry_groupbookmark" (
    "id" {{PKID}} NOT NULL,
    "project_id" {{FKID}} NOT NULL,
    "group_id" {{FKID}} NOT NULL,
    "user_id" integer NOT NULL,
    CONSTRAINT "sentry_groupbookmark_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_groupbookmark_project_id_6d2bb88ad3832208_uniq" UNIQUE ("project_id", "user_id", "group_id")
);

CREATE TABLE "sentry_activity" (
    "id" {{PKID}} NOT NULL,
    "project_id" {{FKID}} NOT NULL,
    "group_id" {{FKID}} NULL,
    "event_id" {{FKID}} NULL,
    "type" integer NOT NULL,
    "ident" varchar(64) NULL,
    "user_id" integer NULL,
    "datetime" timestamp with time zone NOT NULL,
    "data" text NULL,
    CONSTRAINT "sentry_activity_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_activity_type_check" CHECK ("type" >= 0)
);

CREATE TABLE "sentry_grouptagkey" (
    "id" {{PKID}} NOT NULL,
    "project_id" {{FKID}} NULL,
    "group_id" {{FKID}} NOT NULL,
    "key" varchar(32) NOT NULL,
    "values_seen" integer NOT NULL,
    CONSTRAINT "sentry_grouptagkey_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_grouptagkey_project_id_7b0c8092f47b509f_uniq" UNIQUE ("project_id", "group_id", "key"),
    CONSTRAINT "sentry_grouptagkey_values_seen_check" CHECK ("values_seen" >= 0)
);

CREATE TABLE "sentry_alert" (
    "id" {{PKID}} NOT NULL,
    "project_id" {{FKID}} NOT NULL,
    "group_id" {{FKID}} NULL,
    "datetime" timestamp with time zone NOT NULL,
    "message" text NOT NULL,
    "data" text NULL,
    "status" integer NOT NULL,
    CONSTRAINT "sentry_alert_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_alert_status_check" CHECK ("status" >= 0),
    CONSTRAINT "ck_status_pstv_52fc6af6a7f923a6" CHECK ("status" >= 0)
);

CREATE TABLE "sentry_alertrelatedgroup" (
    "id" {{PKID}} NOT NULL,
    "group_id" {{FKID}} NOT NULL,
    "alert_id" {{FKID}} NOT NULL,
    "data" text NULL,
    CONSTRAINT "sentry_alertrelatedgroup_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_alertrelatedgroup_group_id_50403ae25779becb_uniq" UNIQUE ("group_id", "alert_id")
);

CREATE TABLE "sentry_eventmapping" (
    "id" {{PKID}} NOT NULL,
    "project_id" {{FKID}} NOT NULL,
    "group_id" {{FKID}} NOT NULL,
    "event_id" varchar(32) NOT NULL,
    "date_added" timestamp with time zone NOT NULL,
    CONSTRAINT "sentry_eventmapping_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_eventmapping_project_id_eb6c54bf8930ba6_uniq" UNIQUE ("project_id", "event_id")
);

CREATE TABLE "sentry_groupseen" (
    "id" {{PKID}} NOT NULL,
    "project_id" {{FKID}} NOT NULL,
    "group_id" {{FKID}} NOT NULL,
    "user_id" integer NOT NULL,
    "last_seen" timestamp with time zone NOT NULL,
    CONSTRAINT "sentry_groupseen_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_groupseen_user_id_179917bc9974d91b_uniq" UNIQUE ("user_id", "group_id")
);

CREATE TABLE "sentry_grouprulestatus" (
    "id" {{PKID}} NOT NULL,
    "project_id" {{FKID}} NOT NULL,
    "rule_id" {{FKID}} NOT NULL,
    "group_id" {{FKID}} NOT NULL,
    "status" smallint NOT NULL,
    "date_added" timestamp with time zone NOT NULL,
    "last_active" timestamp with time zone NULL,
    CONSTRAINT "sentry_grouprulestatus_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_grouprulestatus_rule_id_329bb0edaad3880f_uniq" UNIQUE ("rule_id", "group_id"),
    CONSTRAINT "sentry_grouprulestatus_status_check" CHECK ("status" >= 0)
);

CREATE TABLE "sentry_groupasignee" (
    "id" {{PKID}} NOT NULL,
    "project_id" {{FKID}} NOT NULL,
    "group_id" {{FKID}} NOT NULL,
    "user_id" integer NOT NULL,
    "date_added" timestamp with time zone NOT NULL,
    CONSTRAINT "sentry_groupasignee_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_groupasignee_group_id_key" UNIQUE ("group_id")
);

CREATE TABLE "sentry_grouphash" (
    "id" {{PKID}} NOT NULL,
    "project_id" {{FKID}} NULL,
    "hash" varchar(32) NOT NULL,
    "group_id" {{FKID}} NULL,
    CONSTRAINT "sentry_grouphash_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_grouphash_project_id_4a293f96a363c9a2_uniq" UNIQUE ("project_id", "hash")
);

CREATE TABLE "sentry_organizationmember" (
    "id" {{PKID}} NOT NULL,
    "organization_id" {{FKID}} NOT NULL,
    "user_id" integer NULL,
    "type" integer NOT NULL,
    "date_added" timestamp with time zone NOT NULL,
    "email" varchar(75) NULL,
    "has_global_access" boolean NOT NULL,
    "flags" bigint NOT NULL,
    "counter" integer NULL,
    CONSTRAINT "sentry_organizationmember_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_organizationmember_organization_id_404770fc5e3a794_uniq" UNIQUE ("organization_id", "user_id"),
    CONSTRAINT "sentry_organizationmember_organization_id_59ee8d99c683b0e7_uniq" UNIQUE ("organization_id", "email"),
    CONSTRAINT "sentry_organizationmember_type_check" CHECK ("type" >= 0),
    CONSTRAINT "sentry_organizationmember_counter_check" CHECK ("counter" >= 0),
    CONSTRAINT "ck_counter_pstv_52fb687b19559c3d" CHECK ("counter" >= 0)
);

CREATE TABLE "sentry_organizationmember_teams" (
    "id" serial NOT NULL,
    "organizationmember_id" {{FKID}} NOT NULL,
    "team_id" {{FKID}} NOT NULL,
    "is_active" boolean NOT NULL,
    CONSTRAINT "sentry_organizationmember_teams_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_organization_organizationmember_id_1634015042409685_uniq" UNIQUE ("organizationmember_id", "team_id")
);

CREATE TABLE "sentry_helppage" (
    "id" {{PKID}} NOT NULL,
    "key" varchar(64) NULL,
    "title" varchar(64) NOT NULL,
    "content" text NOT NULL,
    "is_visible" boolean NOT NULL,
    "priority" integer NOT NULL,
    "date_added" timestamp with time zone NOT NULL,
    CONSTRAINT "sentry_helppage_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_helppage_key_key" UNIQUE ("key"),
    CONSTRAINT "sentry_helppage_priority_check" CHECK ("priority" >= 0)
);

CREATE TABLE "sentry_file" (
    "id" {{PKID}} NOT NULL,
    "name" varchar(128) NOT NULL,
    "storage" varchar(128) NULL,
    "storage_options" text NOT NULL,
    "path" text NULL,
    "type" varchar(64) NOT NULL,
    "size" integer NULL,
    "timestamp" timestamp with time zone NOT NULL,
    "checksum" varchar(40) NULL,
    "headers" text NOT NULL,
    CONSTRAINT "sentry_file_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_file_size_check" CHECK ("size" >= 0)
);

CREATE TABLE "sentry_apikey" (
    "id" {{PKID}} NOT NULL,
    "organization_id" {{FKID}} NOT NULL,
    "label" varchar(64) NOT NULL,
    "key" varchar(32) NOT NULL,
    "scopes" bigint NOT NULL,
    "status" integer NOT NULL,
    "date_added" timestamp with time zone NOT NULL,
    "allowed_origins" text NULL,
    CONSTRAINT "sentry_apikey_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_apikey_key_key" UNIQUE ("key"),
    CONSTRAINT "sentry_apikey_status_check" CHECK ("status" >= 0)
);

CREATE TABLE "sentry_auditlogentry" (
    "id" {{PKID}} NOT NULL,
    "organization_id" {{FKID}} NOT NULL,
    "actor_id" integer NULL,
    "target_object" integer NULL,
    "target_user_id" integer NULL,
    "event" integer NOT NULL,
    "data" text NOT NULL,
    "datetime" timestamp with time zone NOT NULL,
    "ip_address" inet NULL,
    "actor_label" varchar(64) NULL,
    "actor_key_id" {{FKID}} NULL,
    CONSTRAINT "sentry_auditlogentry_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_auditlogentry_target_object_check" CHECK ("target_object" >= 0),
    CONSTRAINT "sentry_auditlogentry_event_check" CHECK ("event" >= 0)
);

CREATE TABLE "sentry_authprovider" (
    "id" {{PKID}} NOT NULL,
    "organization_id" {{FKID}} NOT NULL,
    "provider" varchar(128) NOT NULL,
    "config" text NOT NULL,
    "date_added" timestamp with time zone NOT NULL,
    "sync_time" integer NULL,
    "last_sync" timestamp with time zone NULL,
    "default_role" integer NOT NULL,
    "default_global_access" boolean NOT NULL,
    "flags" bigint NOT NULL,
    CONSTRAINT "sentry_authprovider_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_authprovider_organization_id_key" UNIQUE ("organization_id"),
    CONSTRAINT "sentry_authprovider_sync_time_check" CHECK ("sync_time" >= 0),
    CONSTRAINT "sentry_authprovider_default_role_check" CHECK ("default_role" >= 0)
);

CREATE TABLE "sentry_authidentity" (
    "id" {{PKID}} NOT NULL,
    "user_id" integer NOT NULL,
    "auth_provider_id" {{FKID}} NOT NULL,
    "ident" varchar(128) NOT NULL,
    "data" text NOT NULL,
    "date_added" timestamp with time zone NOT NULL,
    "last_verified" timestamp with time zone NOT NULL,
    "last_synced" timestamp with time zone NOT NULL,
    CONSTRAINT "sentry_authidentity_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_authidentity_auth_provider_id_72ab4375ecd728ba_uniq" UNIQUE ("auth_provider_id", "ident"),
    CONSTRAINT "sentry_authidentity_auth_provider_id_2ac89deececdc9d7_uniq" UNIQUE ("auth_provider_id", "user_id")
);

CREATE TABLE "sentry_authprovider_default_teams" (
    "id" serial NOT NULL,
    "authprovider_id" {{FKID}} NOT NULL,
    "team_id" {{FKID}} NOT NULL,
    CONSTRAINT "sentry_authprovider_default_teams_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_authprovider_defau_authprovider_id_352ee7f2584f4caf_uniq" UNIQUE ("authprovider_id", "team_id")
);

CREATE TABLE "sentry_releasefile" (
    "id" {{PKID}} NOT NULL,
    "project_id" {{FKID}} NOT NULL,
    "release_id" {{FKID}} NOT NULL,
    "file_id" {{FKID}} NOT NULL,
    "ident" varchar(40) NOT NULL,
    "name" text NOT NULL,
    CONSTRAINT "sentry_releasefile_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_releasefile_release_id_7809ae7ca24c9589_uniq" UNIQUE ("release_id", "ident")
);

CREATE TABLE "sentry_organizationaccessrequest" (
    "id" {{PKID}} NOT NULL,
    "team_id" {{FKID}} NOT NULL,
    "member_id" {{FKID}} NOT NULL,
    CONSTRAINT "sentry_organizationaccessrequest_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_organizationaccessrequest_team_id_2a38219fe738f1d7_uniq" UNIQUE ("team_id", "member_id")
);

CREATE TABLE "sentry_savedsearch" (
    "id" {{PKID}} NOT NULL,
    "project_id" {{FKID}} NOT NULL,
    "name" varchar(128) NOT NULL,
    "query" text NOT NULL,
    "date_added" timestamp with time zone NOT NULL,
    CONSTRAINT "sentry_savedsearch_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sentry_savedsearch_project_id_4a2cf58e27d0cc59_uniq" UNIQUE ("project_id", "name")
);

CREATE TABLE "sentry_userreport" (
    "id" {{PKID}} NOT NULL,
    "project_id" {{FKID}} NOT NULL,
    "group_id" {{FKID}} NULL,
    "event_id" varchar(32) NOT NULL,
    "name" varchar(128) NOT NULL,
    "email" varchar(75) NOT NULL,
    "comments" text NOT NULL,
    "date_added" timestamp with time zone NOT NULL,
    CONSTRAINT "sentry_userreport_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "nodestore_node" (
    "id" varchar(40) NOT NULL,
    "data" text NOT NULL,
    "timestamp" timestamp with time zone NOT NULL,
    CONSTRAINT "nodestore_node_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "social_auth_usersocialauth" (
    "id" serial NOT NULL,
    "user_id" integer NOT NULL,
    "provider" varchar(32) NOT NULL,
    "uid" varchar(255) NOT NULL,
    "extra_data" text NOT NULL,
    CONSTRAINT "social_auth_usersocialauth_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "social_auth_usersocialauth_provider_2f763109e2c4a1fb_uniq" UNIQUE ("provider", "uid")
);

CREATE TABLE "social_auth_nonce" (
    "id" serial NOT NULL,
    "server_url" varchar(255) NOT NULL,
    "timestamp" integer NOT NULL,
    "salt" varchar(40) NOT NULL,
    CONSTRAINT "social_auth_nonce_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "social_auth_nonce_timestamp_3833ba21ef52524a_uniq" UNIQUE ("timestamp", "salt", "server_url")
);

CREATE TABLE "social_auth_association" (
    "id" serial NOT NULL,
    "server_url" varchar(255) NOT NULL,
    "handle" varchar(255) NOT NULL,
    "secret" varchar(255) NOT NULL,
    "issued" integer NOT NULL,
    "lifetime" integer NOT NULL,
    "assoc_type" varchar(64) NOT NULL,
    CONSTRAINT "social_auth_association_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "social_auth_association_handle_693a924207fa6ae_uniq" UNIQUE ("handle", "server_url")
);

-- indexes
CREATE INDEX "auth_group_name_like" ON "auth_group" ("name" varchar_pattern_ops);
CREATE INDEX "auth_permission_content_type_id" ON "auth_permission" ("content_type_id");
CREATE INDEX "auth_group_permissions_group_id" ON "auth_group_permissions" ("group_id");
CREATE INDEX "auth_group_permissions_permission_id" ON "auth_group_permissions" ("permission_id");
CREATE INDEX "django_session_session_key_like" ON "django_session" ("session_key" varchar_pattern_ops);
CREATE INDEX "django_session_expire_date" ON "django_session" ("expire_date");
CREATE INDEX "djkombu_queue_name_like" ON "djkombu_queue" ("name" varchar_pattern_ops);
CREATE INDEX "djkombu_message_visible" ON "djkombu_message" ("visible");
CREATE INDEX "djkombu_message_sent_at" ON "djkombu_message" ("sent_at");
CREATE INDEX "djkombu_message_queue_id" ON "djkombu_message" ("queue_id");
CREATE INDEX "auth_user_username_like" ON "auth_user" ("username" varchar_pattern_ops);
CREATE INDEX "django_admin_log_user_id" ON "django_admin_log" ("user_id");
CREATE INDEX "django_admin_log_content_type_id" ON "django_admin_log" ("content_type_id");
CREATE INDEX "sentry_broadcast_is_active" ON "sentry_broadcast" ("is_active");
CREATE INDEX "sentry_organization_owner_id" ON "sentry_organization" ("owner_id");
CREATE INDEX "sentry_organization_slug_like" ON "sentry_organization" ("slug" varchar_pattern_ops);
CREATE INDEX "sentry_team_slug_like" ON "sentry_team" ("slug" varchar_pattern_ops);
CREATE INDEX "sentry_team_organization_id" ON "sentry_team" ("organization_id");
CREATE INDEX "sentry_project_status" ON "sentry_project" ("status");
CREATE INDEX "sentry_project_slug_like" ON "sentry_project" ("slug" varchar_pattern_ops);
CREATE INDEX "sentry_project_team_id" ON "sentry_project" ("team_id");
CREATE INDEX "sentry_project_organization_id" ON "sentry_project" ("organization_id");
CREATE INDEX "sentry_filtervalue_project_id" ON "sentry_filtervalue" ("project_id");
CREATE INDEX "sentry_filtervalue_last_seen" ON "sentry_filtervalue" ("last_seen");
CREATE INDEX "sentry_filtervalue_first_seen" ON "sentry_filtervalue" ("first_seen");
CREATE INDEX "sentry_filtervalue_project_id_737632cad2909511" ON "sentry_filtervalue" ("project_id", "value", "times_seen");
CREATE INDEX "sentry_filtervalue_project_id_27377f6151fcab56" ON "sentry_filtervalue" ("project_id", "value", "last_seen");
CREATE INDEX "sentry_filtervalue_project_id_2b3fdfeac62987c7" ON "sentry_filtervalue" ("project_id", "value", "first_seen");
CREATE INDEX "sentry_projectoptions_project_id" ON "sentry_projectoptions" ("project_id");
CREATE INDEX "sentry_projectkey_project_id" ON "sentry_projectkey" ("project_id");
CREATE INDEX "sentry_projectkey_public_key_like" ON "sentry_projectkey" ("public_key" varchar_pattern_ops);
CREATE INDEX "sentry_projectkey_secret_key_like" ON "sentry_projectkey" ("secret_key" varchar_pattern_ops);
CREATE INDEX "sentry_projectkey_status" ON "sentry_projectkey" ("status");
CREATE INDEX "sentry_useroption_user_id" ON "sentry_useroption" ("user_id");
CREATE INDEX "sentry_useroption_project_id" ON "sentry_useroption" ("project_id");
CREATE INDEX "sentry_filterkey_project_id" ON "sentry_filterkey" ("project_id");
CREATE INDEX "sentry_accessgroup_team_id" ON "sentry_accessgroup" ("team_id");
CREATE INDEX "sentry_accessgroup_projects_accessgroup_id" ON "sentry_accessgroup_projects" ("accessgroup_id");
CREATE INDEX "sentry_accessgroup_projects_project_id" ON "sentry_accessgroup_projects" ("project_id");
CREATE INDEX "sentry_accessgroup_members_accessgroup_id" ON "sentry_accessgroup_members" ("accessgroup_id");
CREATE INDEX "sentry_accessgroup_members_user_id" ON "sentry_accessgroup_members" ("user_id");
CREATE INDEX "sentry_rule_project_id" ON "sentry_rule" ("project_id");
CREATE INDEX "sentry_release_project_id" ON "sentry_release" ("project_id");
CREATE INDEX "sentry_groupedmessage_logger" ON "sentry_groupedmessage" ("logger");
CREATE INDEX "sentry_groupedmessage_logger_like" ON "sentry_groupedmessage" ("logger" varchar_pattern_ops);
CREATE INDEX "sentry_groupedmessage_level" ON "sentry_groupedmessage" ("level");
CREATE INDEX "sentry_groupedmessage_view" ON "sentry_groupedmessage" ("view");
CREATE INDEX "sentry_groupedmessage_view_like" ON "sentry_groupedmessage" ("view" varchar_pattern_ops);
CREATE INDEX "sentry_groupedmessage_last_seen" ON "sentry_groupedmessage" ("last_seen");
CREATE INDEX "sentry_groupedmessage_first_seen" ON "sentry_groupedmessage" ("first_seen");
CREATE INDEX "sentry_groupedmessage_status" ON "sentry_groupedmessage" ("status");
CREATE INDEX "sentry_groupedmessage_times_seen" ON "sentry_groupedmessage" ("times_seen");
CREATE INDEX "sentry_groupedmessage_project_id" ON "sentry_groupedmessage" ("project_id");
CREATE INDEX "sentry_groupedmessage_resolved_at" ON "sentry_groupedmessage" ("resolved_at");
CREATE INDEX "sentry_groupedmessage_active_at" ON "sentry_groupedmessage" ("active_at");
CREATE INDEX "sentry_groupedmessage_first_release_id" ON "sentry_groupedmessage" ("first_release_id");
CREATE INDEX "sentry_groupedmessage_project_id_31335ae34c8ef983" ON "sentry_groupedmessage" ("project_id", "first_release_id");
CREATE INDEX "sentry_message_datetime" ON "sentry_message" ("datetime");
CREATE INDEX "sentry_message_message_id_like" ON "sentry_message" ("message_id" varchar_pattern_ops);
CREATE INDEX "sentry_message_project_id" ON "sentry_message" ("project_id");
CREATE INDEX "sentry_message_group_id_5f63ffbd9aac1141" ON "sentry_message" ("group_id", "datetime");
CREATE INDEX "sentry_messagefiltervalue_group_id" ON "sentry_messagefiltervalue" ("group_id");
CREATE INDEX "sentry_messagefiltervalue_project_id" ON "sentry_messagefiltervalue" ("project_id");
CREATE INDEX "sentry_messagefiltervalue_last_seen" ON "sentry_messagefiltervalue" ("last_seen");
CREATE INDEX "sentry_messagefiltervalue_first_seen" ON "sentry_messagefiltervalue" ("first_seen");
CREATE INDEX "sentry_groupmeta_group_id" ON "sentry_groupmeta" ("group_id");
CREATE INDEX "sentry_groupbookmark_project_id" ON "sentry_groupbookmark" ("project_id");
CREATE INDEX "sentry_groupbookmark_group_id" ON "sentry_groupbookmark" ("group_id");
CREATE INDEX "sentry_groupbookmark_user_id" ON "sentry_groupbookmark" ("user_id");
CREATE INDEX "sentry_groupbookmark_user_id_5eedb134f529cf58" ON "sentry_groupbookmark" ("user_id", "group_id");
CREATE INDEX "sentry_activity_project_id" ON "sentry_activity" ("project_id");
CREATE INDEX "sentry_activity_group_id" ON "sentry_activity" ("group_id");
CREATE INDEX "sentry_activity_event_id" ON "sentry_activity" ("event_id");
CREATE INDEX "sentry_activity_user_id" ON "sentry_activity" ("user_id");
CREATE INDEX "sentry_grouptagkey_project_id" ON "sentry_grouptagkey" ("project_id");
CREATE INDEX "sentry_grouptagkey_group_id" ON "sentry_grouptagkey" ("group_id");
CREATE INDEX "sentry_alert_project_id" ON "sentry_alert" ("project_id");
CREATE INDEX "sentry_alert_group_id" ON "sentry_alert" ("group_id");
CREATE INDEX "sentry_alert_status" ON "sentry_alert" ("status");
CREATE INDEX "sentry_alertrelatedgroup_group_id" ON "sentry_alertrelatedgroup" ("group_id");
CREATE INDEX "sentry_alertrelatedgroup_alert_id" ON "sentry_alertrelatedgroup" ("alert_id");
CREATE INDEX "sentry_eventmapping_project_id" ON "sentry_eventmapping" ("project_id");
CREATE INDEX "sentry_eventmapping_group_id" ON "sentry_eventmapping" ("group_id");
CREATE INDEX "sentry_groupseen_project_id" ON "sentry_groupseen" ("project_id");
CREATE INDEX "sentry_groupseen_group_id" ON "sentry_groupseen" ("group_id");
CREATE INDEX "sentry_grouprulestatus_project_id" ON "sentry_grouprulestatus" ("project_id");
CREATE INDEX "sentry_grouprulestatus_rule_id" ON "sentry_grouprulestatus" ("rule_id");
CREATE INDEX "sentry_grouprulestatus_group_id" ON "sentry_grouprulestatus" ("group_id");
CREATE INDEX "sentry_groupasignee_project_id" ON "sentry_groupasignee" ("project_id");
CREATE INDEX "sentry_groupasignee_user_id" ON "sentry_groupasignee" ("user_id");
CREATE INDEX "sentry_grouphash_project_id" ON "sentry_grouphash" ("project_id");
CREATE INDEX "sentry_grouphash_hash_like" ON "sentry_grouphash" ("hash" varchar_pattern_ops);
CREATE INDEX "sentry_grouphash_group_id" ON "sentry_grouphash" ("group_id");
CREATE INDEX "sentry_organizationmember_organization_id" ON "sentry_organizationmember" ("organization_id");
CREATE INDEX "sentry_organizationmember_user_id" ON "sentry_organizationmember" ("user_id");
CREATE INDEX "sentry_organizationmember_teams_organizationmember_id" ON "sentry_organizationmember_teams" ("organizationmember_id");
CREATE INDEX "sentry_organizationmember_teams_team_id" ON "sentry_organizationmember_teams" ("team_id");
CREATE INDEX "sentry_helppage_key_like" ON "sentry_helppage" ("key" varchar_pattern_ops);
CREATE INDEX "sentry_file_timestamp" ON "sentry_file" ("timestamp");
CREATE INDEX "sentry_apikey_organization_id" ON "sentry_apikey" ("organization_id");
CREATE INDEX "sentry_apikey_key_like" ON "sentry_apikey" ("key" varchar_pattern_ops);
CREATE INDEX "sentry_apikey_status" ON "sentry_apikey" ("status");
CREATE INDEX "sentry_auditlogentry_organization_id" ON "sentry_auditlogentry" ("organization_id");
CREATE INDEX "sentry_auditlogentry_actor_id" ON "sentry_auditlogentry" ("actor_id");
CREATE INDEX "sentry_auditlogentry_target_user_id" ON "sentry_auditlogentry" ("target_user_id");
CREATE INDEX "sentry_auditlogentry_actor_key_id" ON "sentry_auditlogentry" ("actor_key_id");
CREATE INDEX "sentry_authidentity_user_id" ON "sentry_authidentity" ("user_id");
CREATE INDEX "sentry_authidentity_auth_provider_id" ON "sentry_authidentity" ("auth_provider_id");
CREATE INDEX "sentry_authprovider_default_teams_authprovider_id" ON "sentry_authprovider_default_teams" ("authprovider_id");
CREATE INDEX "sentry_authprovider_default_teams_team_id" ON "sentry_authprovider_default_teams" ("team_id");
CREATE INDEX "sentry_releasefile_project_id" ON "sentry_releasefile" ("project_id");
CREATE INDEX "sentry_releasefile_release_id" ON "sentry_releasefile" ("release_id");
CREATE INDEX "sentry_releasefile_file_id" ON "sentry_releasefile" ("file_id");
CREATE INDEX "sentry_organizationaccessrequest_team_id" ON "sentry_organizationaccessrequest" ("team_id");
CREATE INDEX "sentry_organizationaccessrequest_member_id" ON "sentry_organizationaccessrequest" ("member_id");
CREATE INDEX "sentry_savedsearch_project_id" ON "sentry_savedsearch" ("project_id");
CREATE INDEX "sentry_userreport_project_id" ON "sentry_userreport" ("project_id");
CREATE INDEX "sentry_userreport_group_id" ON "sentry_userreport" ("group_id");
CREATE INDEX "sentry_userreport_project_id_1ac377e052723c91" ON "sentry_userreport" ("project_id", "event_id");
CREATE INDEX "nodestore_node_id_like" ON "nodestore_node" ("id" varchar_pattern_ops);
CREATE INDEX "nodestore_node_timestamp" ON "nodestore_node" ("timestamp");
CREATE INDEX "social_auth_usersocialauth_user_id" ON "social_auth_usersocialauth" ("user_id");
CREATE INDEX "social_auth_nonce_timestamp" ON "social_auth_nonce" ("timestamp");
CREATE INDEX "social_auth_association_issued" ON "social_auth_association" ("issued");

-- foreign keys
ALTER TABLE "auth_permission" ADD CONSTRAINT "content_type_id_refs_id_d043b34a" FOREIGN KEY ("content_type_id") REFERENCES "django_content_type" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "auth_group_permissions" ADD CONSTRAINT "auth_group_permissions_permission_id_fkey" FOREIGN KEY ("permission_id") REFERENCES "auth_permission" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "auth_group_permissions" ADD CONSTRAINT "group_id_refs_id_f4b32aac" FOREIGN KEY ("group_id") REFERENCES "auth_group" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "djkombu_message" ADD CONSTRAINT "queue_id_refs_id_88980102" FOREIGN KEY ("queue_id") REFERENCES "djkombu_queue" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "django_admin_log" ADD CONSTRAINT "content_type_id_refs_id_93d2d1f8" FOREIGN KEY ("content_type_id") REFERENCES "django_content_type" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_lostpasswordhash" ADD CONSTRAINT "user_id_refs_id_c60bdf9b" FOREIGN KEY ("user_id") REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_organization" ADD CONSTRAINT "owner_id_refs_id_92f97975" FOREIGN KEY ("owner_id") REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_team" ADD CONSTRAINT "organization_id_refs_id_61038a42" FOREIGN KEY ("organization_id") REFERENCES "sentry_organization" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_project" ADD CONSTRAINT "team_id_refs_id_78750968" FOREIGN KEY ("team_id") REFERENCES "sentry_team" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_project" ADD CONSTRAINT "organization_id_refs_id_6874e5b7" FOREIGN KEY ("organization_id") REFERENCES "sentry_organization" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_filtervalue" ADD CONSTRAINT "project_id_refs_id_ee7bf50d" FOREIGN KEY ("project_id") REFERENCES "sentry_project" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_projectoptions" ADD CONSTRAINT "project_id_refs_id_9b845024" FOREIGN KEY ("project_id") REFERENCES "sentry_project" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_projectkey" ADD CONSTRAINT "project_id_refs_id_e4d8a857" FOREIGN KEY ("project_id") REFERENCES "sentry_project" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_useroption" ADD CONSTRAINT "user_id_refs_id_73734413" FOREIGN KEY ("user_id") REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_useroption" ADD CONSTRAINT "project_id_refs_id_eb596317" FOREIGN KEY ("project_id") REFERENCES "sentry_project" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_filterkey" ADD CONSTRAINT "project_id_refs_id_c385a797" FOREIGN KEY ("project_id") REFERENCES "sentry_project" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_accessgroup" ADD CONSTRAINT "team_id_refs_id_e1664123" FOREIGN KEY ("team_id") REFERENCES "sentry_team" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_accessgroup_projects" ADD CONSTRAINT "accessgroup_id_refs_id_6d33e3cb" FOREIGN KEY ("accessgroup_id") REFERENCES "sentry_accessgroup" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_accessgroup_projects" ADD CONSTRAINT "project_id_refs_id_988f77dc" FOREIGN KEY ("project_id") REFERENCES "sentry_project" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_accessgroup_members" ADD CONSTRAINT "accessgroup_id_refs_id_f3ae2537" FOREIGN KEY ("accessgroup_id") REFERENCES "sentry_accessgroup" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_accessgroup_members" ADD CONSTRAINT "user_id_refs_id_116848ad" FOREIGN KEY ("user_id") REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_rule" ADD CONSTRAINT "project_id_refs_id_c96b69eb" FOREIGN KEY ("project_id") REFERENCES "sentry_project" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_release" ADD CONSTRAINT "project_id_refs_id_21d237e2" FOREIGN KEY ("project_id") REFERENCES "sentry_project" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_groupedmessage" ADD CONSTRAINT "project_id_refs_id_77344b57" FOREIGN KEY ("project_id") REFERENCES "sentry_project" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_groupedmessage" ADD CONSTRAINT "first_release_id_refs_id_d035a570" FOREIGN KEY ("first_release_id") REFERENCES "sentry_release" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_message" ADD CONSTRAINT "group_id_refs_id_249fad1d" FOREIGN KEY ("group_id") REFERENCES "sentry_groupedmessage" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_message" ADD CONSTRAINT "project_id_refs_id_3d28fcbe" FOREIGN KEY ("project_id") REFERENCES "sentry_project" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_messagefiltervalue" ADD CONSTRAINT "group_id_refs_id_1fb6dc4e" FOREIGN KEY ("group_id") REFERENCES "sentry_groupedmessage" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_messagefiltervalue" ADD CONSTRAINT "project_id_refs_id_b5eaf112" FOREIGN KEY ("project_id") REFERENCES "sentry_project" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_groupmeta" ADD CONSTRAINT "group_id_refs_id_6dc57728" FOREIGN KEY ("group_id") REFERENCES "sentry_groupedmessage" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_groupbookmark" ADD CONSTRAINT "project_id_refs_id_18390fbc" FOREIGN KEY ("project_id") REFERENCES "sentry_project" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_groupbookmark" ADD CONSTRAINT "group_id_refs_id_3738447a" FOREIGN KEY ("group_id") REFERENCES "sentry_groupedmessage" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_groupbookmark" ADD CONSTRAINT "user_id_refs_id_05ac45cc" FOREIGN KEY ("user_id") REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_activity" ADD CONSTRAINT "project_id_refs_id_0c94d99e" FOREIGN KEY ("project_id") REFERENCES "sentry_project" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_activity" ADD CONSTRAINT "group_id_refs_id_b84d67ec" FOREIGN KEY ("group_id") REFERENCES "sentry_groupedmessage" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_activity" ADD CONSTRAINT "event_id_refs_id_be5b9598" FOREIGN KEY ("event_id") REFERENCES "sentry_message" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_activity" ADD CONSTRAINT "user_id_refs_id_6caec40e" FOREIGN KEY ("user_id") REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_grouptagkey" ADD CONSTRAINT "project_id_refs_id_fef15df1" FOREIGN KEY ("project_id") REFERENCES "sentry_project" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_grouptagkey" ADD CONSTRAINT "group_id_refs_id_d78dfb94" FOREIGN KEY ("group_id") REFERENCES "sentry_groupedmessage" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_alert" ADD CONSTRAINT "project_id_refs_id_199010cc" FOREIGN KEY ("project_id") REFERENCES "sentry_project" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_alert" ADD CONSTRAINT "group_id_refs_id_02f9305a" FOREIGN KEY ("group_id") REFERENCES "sentry_groupedmessage" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_alertrelatedgroup" ADD CONSTRAINT "group_id_refs_id_60f6fe2e" FOREIGN KEY ("group_id") REFERENCES "sentry_groupedmessage" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_alertrelatedgroup" ADD CONSTRAINT "alert_id_refs_id_318c5c87" FOREIGN KEY ("alert_id") REFERENCES "sentry_alert" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_eventmapping" ADD CONSTRAINT "project_id_refs_id_953eb70b" FOREIGN KEY ("project_id") REFERENCES "sentry_project" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_eventmapping" ADD CONSTRAINT "group_id_refs_id_9280c863" FOREIGN KEY ("group_id") REFERENCES "sentry_groupedmessage" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_groupseen" ADD CONSTRAINT "project_id_refs_id_67db0efd" FOREIGN KEY ("project_id") REFERENCES "sentry_project" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_groupseen" ADD CONSTRAINT "group_id_refs_id_09b2694a" FOREIGN KEY ("group_id") REFERENCES "sentry_groupedmessage" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_groupseen" ADD CONSTRAINT "user_id_refs_id_270b7315" FOREIGN KEY ("user_id") REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_grouprulestatus" ADD CONSTRAINT "project_id_refs_id_09c5b95d" FOREIGN KEY ("project_id") REFERENCES "sentry_project" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_grouprulestatus" ADD CONSTRAINT "rule_id_refs_id_39ff91f8" FOREIGN KEY ("rule_id") REFERENCES "sentry_rule" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_grouprulestatus" ADD CONSTRAINT "group_id_refs_id_66981850" FOREIGN KEY ("group_id") REFERENCES "sentry_groupedmessage" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_groupasignee" ADD CONSTRAINT "project_id_refs_id_1b5200f8" FOREIGN KEY ("project_id") REFERENCES "sentry_project" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_groupasignee" ADD CONSTRAINT "group_id_refs_id_47b32b76" FOREIGN KEY ("group_id") REFERENCES "sentry_groupedmessage" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_groupasignee" ADD CONSTRAINT "user_id_refs_id_f4dcb8d1" FOREIGN KEY ("user_id") REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_grouphash" ADD CONSTRAINT "project_id_refs_id_6f0a9434" FOREIGN KEY ("project_id") REFERENCES "sentry_project" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_grouphash" ADD CONSTRAINT "group_id_refs_id_9603f6ba" FOREIGN KEY ("group_id") REFERENCES "sentry_groupedmessage" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_organizationmember" ADD CONSTRAINT "organization_id_refs_id_42dc8e8f" FOREIGN KEY ("organization_id") REFERENCES "sentry_organization" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_organizationmember" ADD CONSTRAINT "user_id_refs_id_be455e60" FOREIGN KEY ("user_id") REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_organizationmember_teams" ADD CONSTRAINT "organizationmember_id_refs_id_878802f4" FOREIGN KEY ("organizationmember_id") REFERENCES "sentry_organizationmember" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_organizationmember_teams" ADD CONSTRAINT "team_id_refs_id_d98f2858" FOREIGN KEY ("team_id") REFERENCES "sentry_team" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_apikey" ADD CONSTRAINT "organization_id_refs_id_961ec303" FOREIGN KEY ("organization_id") REFERENCES "sentry_organization" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_auditlogentry" ADD CONSTRAINT "organization_id_refs_id_f5b1844e" FOREIGN KEY ("organization_id") REFERENCES "sentry_organization" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_auditlogentry" ADD CONSTRAINT "target_user_id_refs_id_cac0f7f5" FOREIGN KEY ("target_user_id") REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_auditlogentry" ADD CONSTRAINT "actor_id_refs_id_cac0f7f5" FOREIGN KEY ("actor_id") REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_auditlogentry" ADD CONSTRAINT "actor_key_id_refs_id_cc2fc30c" FOREIGN KEY ("actor_key_id") REFERENCES "sentry_apikey" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_authprovider" ADD CONSTRAINT "organization_id_refs_id_6a37632f" FOREIGN KEY ("organization_id") REFERENCES "sentry_organization" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_authidentity" ADD CONSTRAINT "user_id_refs_id_78163ab5" FOREIGN KEY ("user_id") REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_authidentity" ADD CONSTRAINT "auth_provider_id_refs_id_d9990f1d" FOREIGN KEY ("auth_provider_id") REFERENCES "sentry_authprovider" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_authprovider_default_teams" ADD CONSTRAINT "authprovider_id_refs_id_9e7068be" FOREIGN KEY ("authprovider_id") REFERENCES "sentry_authprovider" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_authprovider_default_teams" ADD CONSTRAINT "team_id_refs_id_10a85f7b" FOREIGN KEY ("team_id") REFERENCES "sentry_team" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_releasefile" ADD CONSTRAINT "project_id_refs_id_878696ea" FOREIGN KEY ("project_id") REFERENCES "sentry_project" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_releasefile" ADD CONSTRAINT "release_id_refs_id_8c214aaf" FOREIGN KEY ("release_id") REFERENCES "sentry_release" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_releasefile" ADD CONSTRAINT "file_id_refs_id_fb71e922" FOREIGN KEY ("file_id") REFERENCES "sentry_file" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_organizationaccessrequest" ADD CONSTRAINT "team_id_refs_id_ea6e538b" FOREIGN KEY ("team_id") REFERENCES "sentry_team" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_organizationaccessrequest" ADD CONSTRAINT "member_id_refs_id_7c8ccc01" FOREIGN KEY ("member_id") REFERENCES "sentry_organizationmember" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_savedsearch" ADD CONSTRAINT "project_id_refs_id_b18120e7" FOREIGN KEY ("project_id") REFERENCES "sentry_project" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_userreport" ADD CONSTRAINT "project_id_refs_id_723e0b3c" FOREIGN KEY ("project_id") REFERENCES "sentry_project" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "sentry_userreport" ADD CONSTRAINT "group_id_refs_id_6b3d43d4" FOREIGN KEY ("group_id") REFERENCES "sentry_groupedmessage" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "social_auth_usersocialauth" ADD CONSTRAINT "user_id_refs_id_e6cbdf29" FOREIGN KEY ("user_id") REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED;

-- South history of a fresh 7.7.0 install
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (1, 'django', '0001_initial', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (2, 'sentry', '0001_initial', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (3, 'sentry', '0002_auto__del_field_groupedmessage_url__chg_field_groupedmessage_view__chg', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (4, 'sentry', '0003_auto__add_field_message_group__del_field_groupedmessage_server_name', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (5, 'sentry', '0004_auto__add_filtervalue__add_unique_filtervalue_key_value', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (6, 'sentry', '0005_auto', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (7, 'sentry', '0006_auto', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (8, 'sentry', '0007_auto__add_field_message_site', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (9, 'sentry', '0008_auto__chg_field_message_view__add_field_groupedmessage_data__chg_field', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (10, 'sentry', '0009_auto__add_field_message_message_id', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (11, 'sentry', '0010_auto__add_messageindex__add_unique_messageindex_column_value_object_id', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (12, 'sentry', '0011_auto__add_field_groupedmessage_score', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (13, 'sentry', '0012_auto', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (14, 'sentry', '0013_auto__add_messagecountbyminute__add_unique_messagecountbyminute_group_', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (15, 'sentry', '0014_auto', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (16, 'sentry', '0014_auto__add_project__add_projectmember__add_unique_projectmember_project', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (17, 'sentry', '0015_auto__add_field_message_project__add_field_messagecountbyminute_projec', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (18, 'sentry', '0016_auto__add_field_projectmember_is_superuser', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (19, 'sentry', '0017_auto__add_field_projectmember_api_key', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (20, 'sentry', '0018_auto__chg_field_project_owner', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (21, 'sentry', '0019_auto__del_field_projectmember_api_key__add_field_projectmember_public_', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (22, 'sentry', '0020_auto__add_projectdomain__add_unique_projectdomain_project_domain', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (23, 'sentry', '0021_auto__del_message__del_groupedmessage__del_unique_groupedmessage_proje', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (24, 'sentry', '0022_auto__del_field_group_class_name__del_field_group_traceback__del_field', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (25, 'sentry', '0023_auto__add_field_event_time_spent', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (26, 'sentry', '0024_auto__add_field_group_time_spent_total__add_field_group_time_spent_cou', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (27, 'sentry', '0025_auto__add_field_messagecountbyminute_time_spent_total__add_field_messa', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (28, 'sentry', '0026_auto__add_field_project_status', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (29, 'sentry', '0027_auto__chg_field_event_server_name', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (30, 'sentry', '0028_auto__add_projectoptions__add_unique_projectoptions_project_key_value', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (31, 'sentry', '0029_auto__del_field_projectmember_is_superuser__del_field_projectmember_pe', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (32, 'sentry', '0030_auto__add_view__chg_field_event_group', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (33, 'sentry', '0031_auto__add_field_view_verbose_name__add_field_view_verbose_name_plural_', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (34, 'sentry', '0032_auto__add_eventmeta', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (35, 'sentry', '0033_auto__add_option__add_unique_option_key_value', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (36, 'sentry', '0034_auto__add_groupbookmark__add_unique_groupbookmark_project_user_group', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (37, 'sentry', '0034_auto__add_unique_option_key__del_unique_option_value_key__del_unique_g', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (38, 'sentry', '0036_auto__chg_field_option_value__chg_field_projectoption_value', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (39, 'sentry', '0037_auto__add_unique_option_key__del_unique_option_value_key__del_unique_g', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (40, 'sentry', '0038_auto__add_searchtoken__add_unique_searchtoken_document_field_token__ad', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (41, 'sentry', '0039_auto__add_field_searchdocument_status', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (42, 'sentry', '0040_auto__del_unique_event_event_id__add_unique_event_project_event_id', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (43, 'sentry', '0041_auto__add_field_messagefiltervalue_last_seen__add_field_messagefilterv', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (44, 'sentry', '0042_auto__add_projectcountbyminute__add_unique_projectcountbyminute_projec', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (45, 'sentry', '0043_auto__chg_field_option_value__chg_field_projectoption_value', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (46, 'sentry', '0044_auto__add_field_projectmember_is_active', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (47, 'sentry', '0045_auto__add_pendingprojectmember__add_unique_pendingprojectmember_projec', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (48, 'sentry', '0046_auto__add_teammember__add_unique_teammember_team_user__add_team__add_p', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (49, 'sentry', '0047_migrate_project_slugs', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (50, 'sentry', '0048_migrate_project_keys', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (51, 'sentry', '0049_create_default_project_keys', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (52, 'sentry', '0050_remove_project_keys_from_members', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (53, 'sentry', '0051_auto__del_pendingprojectmember__del_unique_pendingprojectmember_projec', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (54, 'sentry', '0052_migrate_project_members', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (55, 'sentry', '0053_auto__del_projectmember__del_unique_projectmember_project_user', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (56, 'sentry', '0054_fix_project_keys', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (57, 'sentry', '0055_auto__del_projectdomain__del_unique_projectdomain_project_domain', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (58, 'sentry', '0056_auto__add_field_group_resolved_at', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (59, 'sentry', '0057_auto__add_field_group_active_at', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (60, 'sentry', '0058_auto__add_useroption__add_unique_useroption_user_project_key', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (61, 'sentry', '0059_auto__add_filterkey__add_unique_filterkey_project_key', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (62, 'sentry', '0060_fill_filter_key', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (63, 'sentry', '0061_auto__add_field_group_group_id__add_field_group_is_public', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (64, 'sentry', '0062_correct_del_index_sentry_groupedmessage_logger__view__checksum', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (65, 'sentry', '0063_auto', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (66, 'sentry', '0064_index_checksum', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (67, 'sentry', '0065_create_default_project_key', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (68, 'sentry', '0066_auto__del_view', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (69, 'sentry', '0067_auto__add_field_group_platform__add_field_event_platform', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (70, 'sentry', '0068_auto__add_field_projectkey_user_added__add_field_projectkey_date_added', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (71, 'sentry', '0069_auto__add_lostpasswordhash', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (72, 'sentry', '0070_projectoption_key_length', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (73, 'sentry', '0071_auto__add_field_group_users_seen', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (74, 'sentry', '0072_auto__add_affecteduserbygroup__add_unique_affecteduserbygroup_project_', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (75, 'sentry', '0073_auto__add_field_project_platform', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (76, 'sentry', '0074_correct_filtervalue_index', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (77, 'sentry', '0075_add_groupbookmark_index', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (78, 'sentry', '0076_add_groupmeta_index', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (79, 'sentry', '0077_auto__add_trackeduser__add_unique_trackeduser_project_ident', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (80, 'sentry', '0078_auto__add_field_affecteduserbygroup_tuser', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (81, 'sentry', '0079_auto__del_unique_affecteduserbygroup_project_ident_group__add_unique_a', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (82, 'sentry', '0080_auto__chg_field_affecteduserbygroup_ident', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (83, 'sentry', '0081_fill_trackeduser', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (84, 'sentry', '0082_auto__add_activity__add_field_group_num_comments__add_field_event_num_', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (85, 'sentry', '0083_migrate_dupe_groups', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (86, 'sentry', '0084_auto__del_unique_group_project_checksum_logger_culprit__add_unique_gro', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (87, 'sentry', '0085_auto__del_unique_project_slug__add_unique_project_slug_team', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (88, 'sentry', '0086_auto__add_field_team_date_added', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (89, 'sentry', '0087_auto__del_messagefiltervalue__del_unique_messagefiltervalue_project_ke', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (90, 'sentry', '0088_auto__del_messagecountbyminute__del_unique_messagecountbyminute_projec', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (91, 'sentry', '0089_auto__add_accessgroup__add_unique_accessgroup_team_name', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (92, 'sentry', '0090_auto__add_grouptagkey__add_unique_grouptagkey_project_group_key__add_f', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (93, 'sentry', '0091_auto__add_alert', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (94, 'sentry', '0092_auto__add_alertrelatedgroup__add_unique_alertrelatedgroup_group_alert', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (95, 'sentry', '0093_auto__add_field_alert_status', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (96, 'sentry', '0094_auto__add_eventmapping__add_unique_eventmapping_project_event_id', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (97, 'sentry', '0095_rebase', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (98, 'sentry', '0096_auto__add_field_tagvalue_data', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (99, 'sentry', '0097_auto__del_affecteduserbygroup__del_unique_affecteduserbygroup_project_', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (100, 'sentry', '0098_auto__add_user__chg_field_team_owner__chg_field_activity_user__chg_fie', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (101, 'sentry', '0099_auto__del_field_teammember_is_active', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (102, 'sentry', '0100_auto__add_field_tagkey_label', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (103, 'sentry', '0101_ensure_teams', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (104, 'sentry', '0102_ensure_slugs', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (105, 'sentry', '0103_ensure_non_empty_slugs', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (106, 'sentry', '0104_auto__add_groupseen__add_unique_groupseen_group_user', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (107, 'sentry', '0105_auto__chg_field_projectcountbyminute_time_spent_total__chg_field_group', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (108, 'sentry', '0106_auto__del_searchtoken__del_unique_searchtoken_document_field_token__de', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (109, 'sentry', '0107_expand_user', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (110, 'sentry', '0108_fix_user', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (111, 'sentry', '0109_index_filtervalue_times_seen', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (112, 'sentry', '0110_index_filtervalue_last_seen', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (113, 'sentry', '0111_index_filtervalue_first_seen', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (114, 'sentry', '0112_auto__chg_field_option_value__chg_field_useroption_value__chg_field_pr', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (115, 'sentry', '0113_auto__add_field_team_status', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (116, 'sentry', '0114_auto__add_field_projectkey_roles', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (117, 'sentry', '0115_auto__del_projectcountbyminute__del_unique_projectcountbyminute_projec', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (118, 'sentry', '0116_auto__del_field_event_server_name__del_field_event_culprit__del_field_', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (119, 'sentry', '0117_auto__add_rule', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (120, 'sentry', '0118_create_default_rules', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (121, 'sentry', '0119_auto__add_field_projectkey_label', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (122, 'sentry', '0120_auto__add_grouprulestatus', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (123, 'sentry', '0121_auto__add_unique_grouprulestatus_rule_group', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (124, 'sentry', '0122_add_event_group_id_datetime_index', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (125, 'sentry', '0123_auto__add_groupassignee__add_index_event_group_datetime', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (126, 'sentry', '0124_auto__add_grouphash__add_unique_grouphash_project_hash', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (127, 'sentry', '0125_auto__add_field_user_is_managed', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (128, 'sentry', '0126_auto__add_field_option_last_updated', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (129, 'sentry', '0127_auto__add_release__add_unique_release_project_version', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (130, 'sentry', '0128_auto__add_broadcast', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (131, 'sentry', '0129_auto__chg_field_release_id__chg_field_pendingteammember_id__chg_field_', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (132, 'sentry', '0130_auto__del_field_project_owner', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (133, 'sentry', '0131_auto__add_organizationmember__add_unique_organizationmember_organizati', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (134, 'sentry', '0132_add_default_orgs', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (135, 'sentry', '0133_add_org_members', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (136, 'sentry', '0134_auto__chg_field_team_organization', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (137, 'sentry', '0135_auto__chg_field_project_team', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (138, 'sentry', '0136_auto__add_field_organizationmember_email__chg_field_organizationmember', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (139, 'sentry', '0137_auto__add_field_organizationmember_has_global_access', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (140, 'sentry', '0138_migrate_team_members', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (141, 'sentry', '0139_auto__add_auditlogentry', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (142, 'sentry', '0140_auto__add_field_organization_slug', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (143, 'sentry', '0141_fill_org_slugs', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (144, 'sentry', '0142_auto__add_field_project_organization__add_unique_project_organization_', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (145, 'sentry', '0143_fill_project_orgs', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (146, 'sentry', '0144_auto__chg_field_project_organization', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (147, 'sentry', '0145_auto__chg_field_organization_slug', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (148, 'sentry', '0146_auto__add_field_auditlogentry_ip_address', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (149, 'sentry', '0147_auto__del_unique_team_slug__add_unique_team_organization_slug', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (150, 'sentry', '0148_auto__add_helppage', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (151, 'sentry', '0149_auto__chg_field_groupseen_project__chg_field_groupseen_user__chg_field', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (152, 'sentry', '0150_fix_broken_rules', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (153, 'sentry', '0151_auto__add_file', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (154, 'sentry', '0152_auto__add_field_file_checksum__chg_field_file_name__add_unique_file_na', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (155, 'sentry', '0153_auto__add_field_grouprulestatus_last_active', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (156, 'sentry', '0154_auto__add_field_tagkey_status', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (157, 'sentry', '0155_auto__add_field_projectkey_status', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (158, 'sentry', '0156_auto__add_apikey', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (159, 'sentry', '0157_auto__add_authidentity__add_unique_authidentity_auth_provider_ident__a', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (160, 'sentry', '0158_auto__add_unique_authidentity_auth_provider_user', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (161, 'sentry', '0159_auto__add_field_authidentity_last_verified__add_field_organizationmemb', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (162, 'sentry', '0160_auto__add_field_authprovider_default_global_access', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (163, 'sentry', '0161_auto__chg_field_authprovider_config', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (164, 'sentry', '0162_auto__chg_field_authidentity_data', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (165, 'sentry', '0163_auto__add_field_authidentity_last_synced', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (166, 'sentry', '0164_auto__add_releasefile__add_unique_releasefile_release_ident__add_field', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (167, 'sentry', '0165_auto__del_unique_file_name_checksum', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (168, 'sentry', '0166_auto__chg_field_user_id__add_field_apikey_allowed_origins', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (169, 'sentry', '0167_auto__add_field_authprovider_flags', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (170, 'sentry', '0168_unfill_projectkey_user', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (171, 'sentry', '0169_auto__del_field_projectkey_user', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (172, 'sentry', '0170_auto__add_organizationmemberteam__add_unique_organizationmemberteam_te', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (173, 'sentry', '0171_auto__chg_field_team_owner', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (174, 'sentry', '0172_auto__del_field_team_owner', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (175, 'sentry', '0173_auto__del_teammember__del_unique_teammember_team_user', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (176, 'sentry', '0174_auto__del_field_projectkey_user_added', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (177, 'sentry', '0175_auto__del_pendingteammember__del_unique_pendingteammember_team_email', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (178, 'sentry', '0176_auto__add_field_organizationmember_counter__add_unique_organizationmem', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (179, 'sentry', '0177_fill_member_counters', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (180, 'sentry', '0178_auto__del_unique_organizationmember_organization_counter', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (181, 'sentry', '0179_auto__add_field_release_date_released', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (182, 'sentry', '0180_auto__add_field_release_environment__add_field_release_ref__add_field_', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (183, 'sentry', '0181_auto__del_field_release_environment__del_unique_release_project_versio', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (184, 'sentry', '0182_auto__add_field_auditlogentry_actor_label__add_field_auditlogentry_act', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (185, 'sentry', '0183_auto__del_index_grouphash_hash', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (186, 'sentry', '0184_auto__del_field_group_checksum__del_unique_group_project_checksum__del', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (187, 'sentry', '0185_auto__add_savedsearch__add_unique_savedsearch_project_name', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (188, 'sentry', '0186_auto__add_field_group_first_release', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (189, 'sentry', '0187_auto__add_index_group_project_first_release', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (190, 'sentry', '0188_auto__add_userreport', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (191, 'sentry', '0189_auto__add_index_userreport_project_event_id', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (192, 'sentry', '0190_auto__add_field_release_new_groups', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (193, 'nodestore', '0001_initial', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (194, 'search', '0001_initial', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (195, 'search', '0002_auto__del_searchtoken__del_unique_searchtoken_document_field_token__de', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (196, 'social_auth', '0001_initial', '2015-08-01 00:00:00+00');
INSERT INTO "south_migrationhistory" ("id", "app_name", "migration", "applied") VALUES (197, 'social_auth', '0002_auto__add_unique_nonce_timestamp_salt_server_url__add_unique_associati', '2015-08-01 00:00:00+00');
SELECT setval('south_migrationhistory_id_seq', 197);

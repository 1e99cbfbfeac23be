-- Sentry 7.7.0 schema (mysql), as Django 1.6 + South 1.0 leave it after `sentry upgrade`
-- (sentry migrations 0001..0190, nodestore 0001, search 0001-0002, social_auth 0001-0002,
-- kombu "django" 0001, plus Django syncdb tables). Reproduced by replaying the 7.7.0 migration
-- files of tag 7.7.0 with the Django 1.6 / South 1.0.1 naming rules.
-- Tokens: {{PKID}} = BoundedBigAutoField primary key, {{FKID}} = FlexibleForeignKey to one,
-- both follow SENTRY_USE_BIG_INTS. Everything else is literal.
-- Every statement ends with a semicolon at the end of a line, and none contains one.

CREATE TABLE `auth_group` (
    `id` int(11) AUTO_INCREMENT NOT NULL,
    `name` varchar(80) NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `name` (`name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `django_content_type` (
    `id` int(11) AUTO_INCREMENT NOT NULL,
    `name` varchar(100) NOT NULL,
    `app_label` varchar(100) NOT NULL,
    `model` varchar(100) NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `app_label` (`app_label`, `model`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `auth_permission` (
    `id` int(11) AUTO_INCREMENT NOT NULL,
    `name` varchar(50) NOT NULL,
    `content_type_id` int(11) NOT NULL,
    `codename` varchar(100) NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `content_type_id` (`content_type_id`, `codename`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `auth_group_permissions` (
    `id` int(11) AUTO_INCREMENT NOT NULL,
    `group_id` int(11) NOT NULL,
    `permission_id` int(11) NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `group_id` (`group_id`, `permission_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `django_session` (
    `session_key` varchar(40) NOT NULL,
    `session_data` longtext NOT NULL,
    `expire_date` datetime NOT NULL,
    PRIMARY KEY (`session_key`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `django_site` (
    `id` int(11) AUTO_INCREMENT NOT NULL,
    `domain` varchar(100) NOT NULL,
    `name` varchar(50) NOT NULL,
    PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `south_migrationhistory` (
    `id` int(11) AUTO_INCREMENT NOT NULL,
    `app_name` varchar(255) NOT NULL,
    `migration` varchar(255) NOT NULL,
    `applied` datetime NOT NULL,
    PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `djkombu_queue` (
    `id` int(11) AUTO_INCREMENT NOT NULL,
    `name` varchar(200) NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `name` (`name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `djkombu_message` (
    `id` int(11) AUTO_INCREMENT NOT NULL,
    `visible` tinyint(1) NOT NULL,
    `sent_at` datetime NULL,
    `payload` longtext NOT NULL,
    `queue_id` int(11) NOT NULL,
    PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `auth_user` (
    `password` varchar(128) NOT NULL,
    `last_login` datetime NOT NULL,
    `id` int(11) AUTO_INCREMENT NOT NULL,
    `username` varchar(128) NOT NULL,
    `first_name` varchar(30) NOT NULL,
    `last_name` varchar(30) NOT NULL,
    `email` varchar(75) NOT NULL,
    `is_staff` tinyint(1) NOT NULL,
    `is_active` tinyint(1) NOT NULL,
    `is_superuser` tinyint(1) NOT NULL,
    `date_joined` datetime NOT NULL,
    `is_managed` tinyint(1) NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `username` (`username`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `django_admin_log` (
    `id` int(11) AUTO_INCREMENT NOT NULL,
    `action_time` datetime NOT NULL,
    `user_id` int(11) NOT NULL,
    `content_type_id` int(11) NULL,
    `object_id` longtext NULL,
    `object_repr` varchar(200) NOT NULL,
    `action_flag` smallint(5) unsigned NOT NULL,
    `change_message` longtext NOT NULL,
    PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_messageindex` (
    `id` {{PKID}} NOT NULL,
    `object_id` int(10) unsigned NOT NULL,
    `column` varchar(32) NOT NULL,
    `value` varchar(128) NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `sentry_messageindex_column_23431fca14e385c1_uniq` (`column`, `value`, `object_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_option` (
    `id` {{PKID}} NOT NULL,
    `key` varchar(64) NOT NULL,
    `value` longtext NOT NULL,
    `last_updated` datetime NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `sentry_option_key_4b34ba95f566b2e7_uniq` (`key`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_lostpasswordhash` (
    `id` {{PKID}} NOT NULL,
    `user_id` int(11) NOT NULL,
    `hash` varchar(32) NOT NULL,
    `date_added` datetime NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `user_id` (`user_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_broadcast` (
    `id` {{PKID}} NOT NULL,
    `message` varchar(256) NOT NULL,
    `link` varchar(200) NULL,
    `badge` varchar(32) NULL,
    `is_active` tinyint(1) NOT NULL,
    `date_added` datetime NOT NULL,
    PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_organization` (
    `id` {{PKID}} NOT NULL,
    `name` varchar(64) NOT NULL,
    `owner_id` int(11) NOT NULL,
    `status` int(10) unsigned NOT NULL,
    `date_added` datetime NOT NULL,
    `slug` varchar(50) NOT NULL,
    `flags` bigint(20) NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `slug` (`slug`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_team` (
    `id` {{PKID}} NOT NULL,
    `slug` varchar(50) NOT NULL,
    `name` varchar(64) NOT NULL,
    `date_added` datetime NULL,
    `status` int(10) unsigned NOT NULL,
    `organization_id` {{FKID}} NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `sentry_team_organization_id_1e0ece47434a2ed_uniq` (`organization_id`, `slug`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_project` (
    `id` {{PKID}} NOT NULL,
    `name` varchar(200) NOT NULL,
    `public` tinyint(1) NOT NULL,
    `date_added` datetime NOT NULL,
    `status` int(10) unsigned NOT NULL,
    `slug` varchar(50) NULL,
    `team_id` {{FKID}} NOT NULL,
    `platform` varchar(32) NULL,
    `organization_id` {{FKID}} NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `sentry_project_slug_7e0cc0d379eb3e42_uniq` (`slug`, `team_id`),
    UNIQUE KEY `sentry_project_organization_id_3017a54aeb676236_uniq` (`organization_id`, `slug`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_filtervalue` (
    `id` {{PKID}} NOT NULL,
    `key` varchar(32) NOT NULL,
    `value` varchar(200) NOT NULL,
    `project_id` {{FKID}} NULL,
    `times_seen` int(10) unsigned NOT NULL,
    `last_seen` datetime NULL,
    `first_seen` datetime NULL,
    `data` longtext NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `sentry_filtervalue_project_id_201b156195347397_uniq` (`project_id`, `key`, `value`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_projectoptions` (
    `id` {{PKID}} NOT NULL,
    `project_id` {{FKID}} NOT NULL,
    `key` varchar(64) NOT NULL,
    `value` longtext NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `sentry_projectoptions_project_id_2d0b5c5d84cdbe8f_uniq` (`project_id`, `key`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_projectkey` (
    `id` {{PKID}} NOT NULL,
    `project_id` {{FKID}} NOT NULL,
    `public_key` varchar(32) NULL,
    `secret_key` varchar(32) NULL,
    `date_added` datetime NULL,
    `roles` bigint(20) NOT NULL,
    `label` varchar(64) NULL,
    `status` int(10) unsigned NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `public_key` (`public_key`),
    UNIQUE KEY `secret_key` (`secret_key`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_useroption` (
    `id` {{PKID}} NOT NULL,
    `user_id` int(11) NOT NULL,
    `project_id` {{FKID}} NULL,
    `key` varchar(64) NOT NULL,
    `value` longtext NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `sentry_useroption_user_id_4d4ce0b1f7bb578b_uniq` (`user_id`, `project_id`, `key`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_filterkey` (
    `id` {{PKID}} NOT NULL,
    `project_id` {{FKID}} NOT NULL,
    `key` varchar(32) NOT NULL,
    `values_seen` int(10) unsigned NOT NULL,
    `label` varchar(64) NULL,
    `status` int(10) unsigned NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `sentry_filterkey_project_id_67551b8e28dda5a_uniq` (`project_id`, `key`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_accessgroup` (
    `id` {{PKID}} NOT NULL,
    `team_id` {{FKID}} NOT NULL,
    `name` varchar(64) NOT NULL,
    `type` int(11) NOT NULL,
    `managed` tinyint(1) NOT NULL,
    `data` longtext NULL,
    `date_added` datetime NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `sentry_accessgroup_team_id_2b24bc5cfcd1a84_uniq` (`team_id`, `name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_accessgroup_projects` (
    `id` int(11) AUTO_INCREMENT NOT NULL,
    `accessgroup_id` {{FKID}} NOT NULL,
    `project_id` {{FKID}} NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `sentry_accessgroup_project_accessgroup_id_16d324e6ca4c312f_uniq` (`accessgroup_id`, `project_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_accessgroup_members` (
    `id` int(11) AUTO_INCREMENT NOT NULL,
    `accessgroup_id` {{FKID}} NOT NULL,
    `user_id` int(11) NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `sentry_accessgroup_members_accessgroup_id_18b186be5753dc4e_uniq` (`accessgroup_id`, `user_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_rule` (
    `id` {{PKID}} NOT NULL,
    `project_id` {{FKID}} NOT NULL,
    `label` varchar(64) NOT NULL,
    `data` longtext NOT NULL,
    `date_added` datetime NOT NULL,
    PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_release` (
    `id` {{PKID}} NOT NULL,
    `project_id` {{FKID}} NOT NULL,
    `version` varchar(64) NOT NULL,
    `date_added` datetime NOT NULL,
    `date_released` datetime NULL,
    `ref` varchar(64) NULL,
    `url` varchar(200) NULL,
    `date_started` datetime NULL,
    `data` text NOT NULL,
    `new_groups` int(10) unsigned NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `sentry_release_project_id_7309d47e8f37e7ff_uniq` (`project_id`, `version`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_groupedmessage` (
    `id` {{PKID}} NOT NULL,
    `logger` varchar(64) NOT NULL,
    `level` int(10) unsigned NOT NULL,
    `message` longtext NOT NULL,
    `view` varchar(200) NULL,
    `status` int(10) unsigned NOT NULL,
    `times_seen` int(10) unsigned NOT NULL,
    `last_seen` datetime NOT NULL,
    `first_seen` datetime NOT NULL,
    `data` longtext NULL,
    `score` int(11) NOT NULL,
    `project_id` {{FKID}} NULL,
    `time_spent_total` int(11) NOT NULL,
    `time_spent_count` int(11) NOT NULL,
    `resolved_at` datetime NULL,
    `active_at` datetime NULL,
    `is_public` tinyint(1) NULL,
    `platform` varchar(64) NULL,
    `num_comments` int(10) unsigned NULL,
    `first_release_id` {{FKID}} NULL,
    PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_message` (
    `id` {{PKID}} NOT NULL,
    `message` longtext NOT NULL,
    `datetime` datetime NOT NULL,
    `data` longtext NULL,
    `group_id` {{FKID}} NULL,
    `message_id` varchar(32) NULL,
    `project_id` {{FKID}} NULL,
    `time_spent` int(11) NULL,
    `platform` varchar(64) NULL,
    `num_comments` int(10) unsigned NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `sentry_message_project_id_b6b4e75e438ca83_uniq` (`project_id`, `message_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_messagefiltervalue` (
    `id` {{PKID}} NOT NULL,
    `group_id` {{FKID}} NOT NULL,
    `times_seen` int(10) unsigned NOT NULL,
    `key` varchar(32) NOT NULL,
    `value` varchar(200) NOT NULL,
    `project_id` {{FKID}} NULL,
    `last_seen` datetime NULL,
    `first_seen` datetime NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `sentry_messagefiltervalue_project_id_330bd94e129c0cb7_uniq` (`project_id`, `group_id`, `value`, `key`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_groupmeta` (
    `id` {{PKID}} NOT NULL,
    `group_id` {{FKID}} NOT NULL,
    `key` varchar(64) NOT NULL,
    `value` longtext NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `sentry_groupmeta_key_5d9d7a3c6538b14d_uniq` (`key`, `group_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_groupbookmark` (
    `id` {{PKID}} NOT NULL,
    `project_id` {{FKID}} NOT NULL,
    `group_id` {{FKID}} NOT NULL,
    `user_id` int(11) NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `sentry_groupbookmark_project_id_6d2bb88ad3832208_uniq` (`project_id`, `user_id`, `group_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_activity` (
    `id` {{PKID}} NOT NULL,
    `project_id` {{FKID}} NOT NULL,
    `group_id` {{FKID}} NULL,
    `event_id` {{FKID}} NULL,
    `type` int(10) unsigned NOT NULL,
    `ident` varchar(64) NULL,
    `user_id` int(11) NULL,
    `datetime` datetime NOT NULL,
    `data` longtext NULL,
    PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_grouptagkey` (
    `id` {{PKID}} NOT NULL,
    `project_id` {{FKID}} NULL,
    `group_id` {{FKID}} NOT NULL,
    `key` varchar(32) NOT NULL,
    `values_seen` int(10) unsigned NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `sentry_grouptagkey_project_id_7b0c8092f47b509f_uniq` (`project_id`, `group_id`, `key`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_alert` (
    `id` {{PKID}} NOT NULL,
    `project_id` {{FKID}} NOT NULL,
    `group_id` {{FKID}} NULL,
    `datetime` datetime NOT NULL,
    `message` longtext NOT NULL,
    `data` longtext NULL,
    `status` int(10) unsigned NOT NULL,
    PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_alertrelatedgroup` (
    `id` {{PKID}} NOT NULL,
    `group_id` {{FKID}} NOT NULL,
    `alert_id` {{FKID}} NOT NULL,
    `data` longtext NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `sentry_alertrelatedgroup_group_id_50403ae25779becb_uniq` (`group_id`, `alert_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_eventmapping` (
    `id` {{PKID}} NOT NULL,
    `project_id` {{FKID}} NOT NULL,
    `group_id` {{FKID}} NOT NULL,
    `event_id` varchar(32) NOT NULL,
    `date_added` datetime NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `sentry_eventmapping_project_id_eb6c54bf8930ba6_uniq` (`project_id`, `event_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_groupseen` (
    `id` {{PKID}} NOT NULL,
    `project_id` {{FKID}} NOT NULL,
    `group_id` {{FKID}} NOT NULL,
    `user_id` int(11) NOT NULL,
    `last_seen` datetime NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `sentry_groupseen_user_id_179917bc9974d91b_uniq` (`user_id`, `group_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_grouprulestatus` (
    `id` {{PKID}} NOT NULL,
    `project_id` {{FKID}} NOT NULL,
    `rule_id` {{FKID}} NOT NULL,
    `group_id` {{FKID}} NOT NULL,
    `status` smallint(5) unsigned NOT NULL,
    `date_added` datetime NOT NULL,
    `last_active` datetime NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `sentry_grouprulestatus_rule_id_329bb0edaad3880f_uniq` (`rule_id`, `group_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_groupasignee` (
    `id` {{PKID}} NOT NULL,
    `project_id` {{FKID}} NOT NULL,
    `group_id` {{FKID}} NOT NULL,
    `user_id` int(11) NOT NULL,
    `date_added` datetime NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `group_id` (`group_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_grouphash` (
    `id` {{PKID}} NOT NULL,
    `project_id` {{FKID}} NULL,
    `hash` varchar(32) NOT NULL,
    `group_id` {{FKID}} NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `sentry_grouphash_project_id_4a293f96a363c9a2_uniq` (`project_id`, `hash`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_organizationmember` (
    `id` {{PKID}} NOT NULL,
    `organization_id` {{FKID}} NOT NULL,
    `user_id` int(11) NULL,
    `type` int(10) unsigned NOT NULL,
    `date_added` datetime NOT NULL,
    `email` varchar(75) NULL,
    `has_global_access` tinyint(1) NOT NULL,
    `flags` bigint(20) NOT NULL,
    `counter` int(10) unsigned NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `sentry_organizationmember_organization_id_404770fc5e3a794_uniq` (`organization_id`, `user_id`),
    UNIQUE KEY `sentry_organizationmember_organization_id_59ee8d99c683b0e7_uniq` (`organization_id`, `email`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_organizationmember_teams` (
    `id` int(11) AUTO_INCREMENT NOT NULL,
    `organizationmember_id` {{FKID}} NOT NULL,
    `team_id` {{FKID}} NOT NULL,
    `is_active` tinyint(1) NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `sentry_organization_organizationmember_id_1634015042409685_uniq` (`organizationmember_id`, `team_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_helppage` (
    `id` {{PKID}} NOT NULL,
    `key` varchar(64) NULL,
    `title` varchar(64) NOT NULL,
    `content` longtext NOT NULL,
    `is_visible` tinyint(1) NOT NULL,
    `priority` int(10) unsigned NOT NULL,
    `date_added` datetime NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `key` (`key`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_file` (
    `id` {{PKID}} NOT NULL,
    `name` varchar(128) NOT NULL,
    `storage` varchar(128) NULL,
    `storage_options` text NOT NULL,
    `path` longtext NULL,
    `type` varchar(64) NOT NULL,
    `size` int(10) unsigned NULL,
    `timestamp` datetime NOT NULL,
    `checksum` varchar(40) NULL,
    `headers` text NOT NULL,
    PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_apikey` (
    `id` {{PKID}} NOT NULL,
    `organization_id` {{FKID}} NOT NULL,
    `label` varchar(64) NOT NULL,
    `key` varchar(32) NOT NULL,
    `scopes` bigint(20) NOT NULL,
    `status` int(10) unsigned NOT NULL,
    `date_added` datetime NOT NULL,
    `allowed_origins` longtext NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `key` (`key`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_auditlogentry` (
    `id` {{PKID}} NOT NULL,
    `organization_id` {{FKID}} NOT NULL,
    `actor_id` int(11) NULL,
    `target_object` int(10) unsigned NULL,
    `target_user_id` int(11) NULL,
    `event` int(10) unsigned NOT NULL,
    `data` longtext NOT NULL,
    `datetime` datetime NOT NULL,
    `ip_address` char(39) NULL,
    `actor_label` varchar(64) NULL,
    `actor_key_id` {{FKID}} NULL,
    PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_authprovider` (
    `id` {{PKID}} NOT NULL,
    `organization_id` {{FKID}} NOT NULL,
    `provider` varchar(128) NOT NULL,
    `config` text NOT NULL,
    `date_added` datetime NOT NULL,
    `sync_time` int(10) unsigned NULL,
    `last_sync` datetime NULL,
    `default_role` int(10) unsigned NOT NULL,
    `default_global_access` tinyint(1) NOT NULL,
    `flags` bigint(20) NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `organization_id` (`organization_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_authidentity` (
    `id` {{PKID}} NOT NULL,
    `user_id` int(11) NOT NULL,
    `auth_provider_id` {{FKID}} NOT NULL,
    `ident` varchar(128) NOT NULL,
    `data` text NOT NULL,
    `date_added` datetime NOT NULL,
    `last_verified` datetime NOT NULL,
    `last_synced` datetime NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `sentry_authidentity_auth_provider_id_72ab4375ecd728ba_uniq` (`auth_provider_id`, `ident`),
    UNIQUE KEY `sentry_authidentity_auth_provider_id_2ac89deececdc9d7_uniq` (`auth_provider_id`, `user_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_authprovider_default_teams` (
    `id` int(11) AUTO_INCREMENT NOT NULL,
    `authprovider_id` {{FKID}} NOT NULL,
    `team_id` {{FKID}} NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `sentry_authprovider_defau_authprovider_id_352ee7f2584f4caf_uniq` (`authprovider_id`, `team_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_releasefile` (
    `id` {{PKID}} NOT NULL,
    `project_id` {{FKID}} NOT NULL,
    `release_id` {{FKID}} NOT NULL,
    `file_id` {{FKID}} NOT NULL,
    `ident` varchar(40) NOT NULL,
    `name` longtext NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `sentry_releasefile_release_id_7809ae7ca24c9589_uniq` (`release_id`, `ident`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_organizationaccessrequest` (
    `id` {{PKID}} NOT NULL,
    `team_id` {{FKID}} NOT NULL,
    `member_id` {{FKID}} NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `sentry_organizationaccessrequest_team_id_2a38219fe738f1d7_uniq` (`team_id`, `member_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_savedsearch` (
    `id` {{PKID}} NOT NULL,
    `project_id` {{FKID}} NOT NULL,
    `name` varchar(128) NOT NULL,
    `query` longtext NOT NULL,
    `date_added` datetime NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `sentry_savedsearch_project_id_4a2cf58e27d0cc59_uniq` (`project_id`, `name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `sentry_userreport` (
    `id` {{PKID}} NOT NULL,
    `project_id` {{FKID}} NOT NULL,
    `group_id` {{FKID}} NULL,
    `event_id` varchar(32) NOT NULL,
    `name` varchar(128) NOT NULL,
    `email` varchar(75) NOT NULL,
    `comments` longtext NOT NULL,
    `date_added` datetime NOT NULL,
    PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `nodestore_node` (
    `id` varchar(40) NOT NULL,
    `data` longtext NOT NULL,
    `timestamp` datetime NOT NULL,
    PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `social_auth_usersocialauth` (
    `id` int(11) AUTO_INCREMENT NOT NULL,
    `user_id` int(11) NOT NULL,
    `provider` varchar(32) NOT NULL,
    `uid` varchar(255) NOT NULL,
    `extra_data` longtext NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `social_auth_usersocialauth_provider_2f763109e2c4a1fb_uniq` (`provider`, `uid`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `social_auth_nonce` (
    `id` int(11) AUTO_INCREMENT NOT NULL,
    `server_url` varchar(255) NOT NULL,
    `timestamp` int(11) NOT NULL,
    `salt` varchar(40) NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `social_auth_nonce_timestamp_3833ba21ef52524a_uniq` (`timestamp`, `salt`, `server_url`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

CREATE TABLE `social_auth_association` (
    `id` int(11) AUTO_INCREMENT NOT NULL,
    `server_url` varchar(255) NOT NULL,
    `handle` varchar(255) NOT NULL,
    `secret` varchar(255) NOT NULL,
    `issued` int(11) NOT NULL,
    `lifetime` int(11) NOT NULL,
    `assoc_type` varchar(64) NOT NULL,
    PRIMARY KEY (`id`),
    UNIQUE KEY `social_auth_association_handle_693a924207fa6ae_uniq` (`handle`, `server_url`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

-- indexes
CREATE INDEX `auth_permission_37ef4eb4` ON `auth_permission` (`content_type_id`);
CREATE INDEX `auth_group_permissions_5f412f9a` ON `auth_group_permissions` (`group_id`);
CREATE INDEX `auth_group_permissions_83d7f98b` ON `auth_group_permissions` (`permission_id`);
CREATE INDEX `django_session_b7b81f0c` ON `django_session` (`expire_date`);
CREATE INDEX `djkombu_message_5907bb86` ON `djkombu_message` (`visible`);
CREATE INDEX `djkombu_message_bc4c5ddc` ON `djkombu_message` (`sent_at`);
CREATE INDEX `djkombu_message_c80a9385` ON `djkombu_message` (`queue_id`);
CREATE INDEX `django_admin_log_6340c63c` ON `django_admin_log` (`user_id`);
CREATE INDEX `django_admin_log_37ef4eb4` ON `django_admin_log` (`content_type_id`);
CREATE INDEX `sentry_broadcast_55f56498` ON `sentry_broadcast` (`is_active`);
CREATE INDEX `sentry_organization_cb902d83` ON `sentry_organization` (`owner_id`);
CREATE INDEX `sentry_team_de772da3` ON `sentry_team` (`organization_id`);
CREATE INDEX `sentry_project_48fb58bb` ON `sentry_project` (`status`);
CREATE INDEX `sentry_project_95e8aaa1` ON `sentry_project` (`team_id`);
CREATE INDEX `sentry_project_de772da3` ON `sentry_project` (`organization_id`);
CREATE INDEX `sentry_filtervalue_37952554` ON `sentry_filtervalue` (`project_id`);
CREATE INDEX `sentry_filtervalue_be0e8b5c` ON `sentry_filtervalue` (`last_seen`);
CREATE INDEX `sentry_filtervalue_b38d6251` ON `sentry_filtervalue` (`first_seen`);
CREATE INDEX `sentry_filtervalue_project_id_737632cad2909511` ON `sentry_filtervalue` (`project_id`, `value`, `times_seen`);
CREATE INDEX `sentry_filtervalue_project_id_27377f6151fcab56` ON `sentry_filtervalue` (`project_id`, `value`, `last_seen`);
CREATE INDEX `sentry_filtervalue_project_id_2b3fdfeac62987c7` ON `sentry_filtervalue` (`project_id`, `value`, `first_seen`);
CREATE INDEX `sentry_projectoptions_37952554` ON `sentry_projectoptions` (`project_id`);
CREATE INDEX `sentry_projectkey_37952554` ON `sentry_projectkey` (`project_id`);
CREATE INDEX `sentry_projectkey_48fb58bb` ON `sentry_projectkey` (`status`);
CREATE INDEX `sentry_useroption_6340c63c` ON `sentry_useroption` (`user_id`);
CREATE INDEX `sentry_useroption_37952554` ON `sentry_useroption` (`project_id`);
CREATE INDEX `sentry_filterkey_37952554` ON `sentry_filterkey` (`project_id`);
CREATE INDEX `sentry_accessgroup_95e8aaa1` ON `sentry_accessgroup` (`team_id`);
CREATE INDEX `sentry_accessgroup_projects_510cf1bf` ON `sentry_accessgroup_projects` (`accessgroup_id`);
CREATE INDEX `sentry_accessgroup_projects_37952554` ON `sentry_accessgroup_projects` (`project_id`);
CREATE INDEX `sentry_accessgroup_members_510cf1bf` ON `sentry_accessgroup_members` (`accessgroup_id`);
CREATE INDEX `sentry_accessgroup_members_6340c63c` ON `sentry_accessgroup_members` (`user_id`);
CREATE INDEX `sentry_rule_37952554` ON `sentry_rule` (`project_id`);
CREATE INDEX `sentry_release_37952554` ON `sentry_release` (`project_id`);
CREATE INDEX `sentry_groupedmessage_60248098` ON `sentry_groupedmessage` (`logger`);
CREATE INDEX `sentry_groupedmessage_b8f3f94a` ON `sentry_groupedmessage` (`level`);
CREATE INDEX `sentry_groupedmessage_af3374d1` ON `sentry_groupedmessage` (`view`);
CREATE INDEX `sentry_groupedmessage_be0e8b5c` ON `sentry_groupedmessage` (`last_seen`);
CREATE INDEX `sentry_groupedmessage_b38d6251` ON `sentry_groupedmessage` (`first_seen`);
CREATE INDEX `sentry_groupedmessage_48fb58bb` ON `sentry_groupedmessage` (`status`);
CREATE INDEX `sentry_groupedmessage_7241a6bd` ON `sentry_groupedmessage` (`times_seen`);
CREATE INDEX `sentry_groupedmessage_37952554` ON `sentry_groupedmessage` (`project_id`);
CREATE INDEX `sentry_groupedmessage_f78ef457` ON `sentry_groupedmessage` (`resolved_at`);
CREATE INDEX `sentry_groupedmessage_47488fba` ON `sentry_groupedmessage` (`active_at`);
CREATE INDEX `sentry_groupedmessage_project_id_31ef19bb52cc13be` ON `sentry_groupedmessage` (`project_id`);
CREATE INDEX `sentry_groupedmessage_05c6c3e9` ON `sentry_groupedmessage` (`first_release_id`);
CREATE INDEX `sentry_groupedmessage_project_id_31335ae34c8ef983` ON `sentry_groupedmessage` (`project_id`, `first_release_id`);
CREATE INDEX `sentry_message_d8a12f30` ON `sentry_message` (`datetime`);
CREATE INDEX `sentry_message_5f412f9a` ON `sentry_message` (`group_id`);
CREATE INDEX `sentry_message_37952554` ON `sentry_message` (`project_id`);
CREATE INDEX `sentry_message_group_id_5f63ffbd9aac1141` ON `sentry_message` (`group_id`, `datetime`);
CREATE INDEX `sentry_messagefiltervalue_5f412f9a` ON `sentry_messagefiltervalue` (`group_id`);
CREATE INDEX `sentry_messagefiltervalue_37952554` ON `sentry_messagefiltervalue` (`project_id`);
CREATE INDEX `sentry_messagefiltervalue_be0e8b5c` ON `sentry_messagefiltervalue` (`last_seen`);
CREATE INDEX `sentry_messagefiltervalue_b38d6251` ON `sentry_messagefiltervalue` (`first_seen`);
CREATE INDEX `sentry_groupmeta_5f412f9a` ON `sentry_groupmeta` (`group_id`);
CREATE INDEX `sentry_groupbookmark_37952554` ON `sentry_groupbookmark` (`project_id`);
CREATE INDEX `sentry_groupbookmark_5f412f9a` ON `sentry_groupbookmark` (`group_id`);
CREATE INDEX `sentry_groupbookmark_6340c63c` ON `sentry_groupbookmark` (`user_id`);
CREATE INDEX `sentry_groupbookmark_user_id_5eedb134f529cf58` ON `sentry_groupbookmark` (`user_id`, `group_id`);
CREATE INDEX `sentry_activity_37952554` ON `sentry_activity` (`project_id`);
CREATE INDEX `sentry_activity_5f412f9a` ON `sentry_activity` (`group_id`);
CREATE INDEX `sentry_activity_a41e20fe` ON `sentry_activity` (`event_id`);
CREATE INDEX `sentry_activity_6340c63c` ON `sentry_activity` (`user_id`);
CREATE INDEX `sentry_grouptagkey_37952554` ON `sentry_grouptagkey` (`project_id`);
CREATE INDEX `sentry_grouptagkey_5f412f9a` ON `sentry_grouptagkey` (`group_id`);
CREATE INDEX `sentry_alert_37952554` ON `sentry_alert` (`project_id`);
CREATE INDEX `sentry_alert_5f412f9a` ON `sentry_alert` (`group_id`);
CREATE INDEX `sentry_alert_48fb58bb` ON `sentry_alert` (`status`);
CREATE INDEX `sentry_alertrelatedgroup_5f412f9a` ON `sentry_alertrelatedgroup` (`group_id`);
CREATE INDEX `sentry_alertrelatedgroup_3b6b9524` ON `sentry_alertrelatedgroup` (`alert_id`);
CREATE INDEX `sentry_eventmapping_37952554` ON `sentry_eventmapping` (`project_id`);
CREATE INDEX `sentry_eventmapping_5f412f9a` ON `sentry_eventmapping` (`group_id`);
CREATE INDEX `sentry_groupseen_37952554` ON `sentry_groupseen` (`project_id`);
CREATE INDEX `sentry_groupseen_5f412f9a` ON `sentry_groupseen` (`group_id`);
CREATE INDEX `sentry_grouprulestatus_37952554` ON `sentry_grouprulestatus` (`project_id`);
CREATE INDEX `sentry_grouprulestatus_fb21b565` ON `sentry_grouprulestatus` (`rule_id`);
CREATE INDEX `sentry_grouprulestatus_5f412f9a` ON `sentry_grouprulestatus` (`group_id`);
CREATE INDEX `sentry_groupasignee_37952554` ON `sentry_groupasignee` (`project_id`);
CREATE INDEX `sentry_groupasignee_6340c63c` ON `sentry_groupasignee` (`user_id`);
CREATE INDEX `sentry_grouphash_37952554` ON `sentry_grouphash` (`project_id`);
CREATE INDEX `sentry_grouphash_5f412f9a` ON `sentry_grouphash` (`group_id`);
CREATE INDEX `sentry_organizationmember_de772da3` ON `sentry_organizationmember` (`organization_id`);
CREATE INDEX `sentry_organizationmember_6340c63c` ON `sentry_organizationmember` (`user_id`);
CREATE INDEX `sentry_organizationmember_teams_bf01f511` ON `sentry_organizationmember_teams` (`organizationmember_id`);
CREATE INDEX `sentry_organizationmember_teams_95e8aaa1` ON `sentry_organizationmember_teams` (`team_id`);
CREATE INDEX `sentry_file_d80b9c9a` ON `sentry_file` (`timestamp`);
CREATE INDEX `sentry_apikey_de772da3` ON `sentry_apikey` (`organization_id`);
CREATE INDEX `sentry_apikey_48fb58bb` ON `sentry_apikey` (`status`);
CREATE INDEX `sentry_auditlogentry_de772da3` ON `sentry_auditlogentry` (`organization_id`);
CREATE INDEX `sentry_auditlogentry_b6bbc2ee` ON `sentry_auditlogentry` (`actor_id`);
CREATE INDEX `sentry_auditlogentry_c9c3cf45` ON `sentry_auditlogentry` (`target_user_id`);
CREATE INDEX `sentry_auditlogentry_b43a2326` ON `sentry_auditlogentry` (`actor_key_id`);
CREATE INDEX `sentry_authidentity_6340c63c` ON `sentry_authidentity` (`user_id`);
CREATE INDEX `sentry_authidentity_885b8fcf` ON `sentry_authidentity` (`auth_provider_id`);
CREATE INDEX `sentry_authprovider_default_teams_87d88bb9` ON `sentry_authprovider_default_teams` (`authprovider_id`);
CREATE INDEX `sentry_authprovider_default_teams_95e8aaa1` ON `sentry_authprovider_default_teams` (`team_id`);
CREATE INDEX `sentry_releasefile_37952554` ON `sentry_releasefile` (`project_id`);
CREATE INDEX `sentry_releasefile_c12e4bec` ON `sentry_releasefile` (`release_id`);
CREATE INDEX `sentry_releasefile_4e9667b7` ON `sentry_releasefile` (`file_id`);
CREATE INDEX `sentry_organizationaccessrequest_95e8aaa1` ON `sentry_organizationaccessrequest` (`team_id`);
CREATE INDEX `sentry_organizationaccessrequest_b3c09425` ON `sentry_organizationaccessrequest` (`member_id`);
CREATE INDEX `sentry_savedsearch_37952554` ON `sentry_savedsearch` (`project_id`);
CREATE INDEX `sentry_userreport_37952554` ON `sentry_userreport` (`project_id`);
CREATE INDEX `sentry_userreport_5f412f9a` ON `sentry_userreport` (`group_id`);
CREATE INDEX `sentry_userreport_project_id_1ac377e052723c91` ON `sentry_userreport` (`project_id`, `event_id`);
CREATE INDEX `nodestore_node_d80b9c9a` ON `nodestore_node` (`timestamp`);
CREATE INDEX `social_auth_usersocialauth_6340c63c` ON `social_auth_usersocialauth` (`user_id`);
CREATE INDEX `social_auth_nonce_d80b9c9a` ON `social_auth_nonce` (`timestamp`);
CREATE INDEX `social_auth_association_93d95bdf` ON `social_auth_association` (`issued`);

-- foreign keys
ALTER TABLE `auth_permission` ADD CONSTRAINT `content_type_id_refs_id_d043b34a` FOREIGN KEY (`content_type_id`) REFERENCES `django_content_type` (`id`);
ALTER TABLE `auth_group_permissions` ADD CONSTRAINT `permission_id_refs_id_6ba0f519` FOREIGN KEY (`permission_id`) REFERENCES `auth_permission` (`id`);
ALTER TABLE `auth_group_permissions` ADD CONSTRAINT `group_id_refs_id_f4b32aac` FOREIGN KEY (`group_id`) REFERENCES `auth_group` (`id`);
ALTER TABLE `djkombu_message` ADD CONSTRAINT `queue_id_refs_id_88980102` FOREIGN KEY (`queue_id`) REFERENCES `djkombu_queue` (`id`);
ALTER TABLE `django_admin_log` ADD CONSTRAINT `content_type_id_refs_id_93d2d1f8` FOREIGN KEY (`content_type_id`) REFERENCES `django_content_type` (`id`);
ALTER TABLE `sentry_lostpasswordhash` ADD CONSTRAINT `user_id_refs_id_c60bdf9b` FOREIGN KEY (`user_id`) REFERENCES `auth_user` (`id`);
ALTER TABLE `sentry_organization` ADD CONSTRAINT `owner_id_refs_id_92f97975` FOREIGN KEY (`owner_id`) REFERENCES `auth_user` (`id`);
ALTER TABLE `sentry_team` ADD CONSTRAINT `organization_id_refs_id_61038a42` FOREIGN KEY (`organization_id`) REFERENCES `sentry_organization` (`id`);
ALTER TABLE `sentry_project` ADD CONSTRAINT `team_id_refs_id_78750968` FOREIGN KEY (`team_id`) REFERENCES `sentry_team` (`id`);
ALTER TABLE `sentry_project` ADD CONSTRAINT `organization_id_refs_id_6874e5b7` FOREIGN KEY (`organization_id`) REFERENCES `sentry_organization` (`id`);
ALTER TABLE `sentry_filtervalue` ADD CONSTRAINT `project_id_refs_id_ee7bf50d` FOREIGN KEY (`project_id`) REFERENCES `sentry_project` (`id`);
ALTER TABLE `sentry_projectoptions` ADD CONSTRAINT `project_id_refs_id_9b845024` FOREIGN KEY (`project_id`) REFERENCES `sentry_project` (`id`);
ALTER TABLE `sentry_projectkey` ADD CONSTRAINT `project_id_refs_id_e4d8a857` FOREIGN KEY (`project_id`) REFERENCES `sentry_project` (`id`);
ALTER TABLE `sentry_useroption` ADD CONSTRAINT `user_id_refs_id_73734413` FOREIGN KEY (`user_id`) REFERENCES `auth_user` (`id`);
ALTER TABLE `sentry_useroption` ADD CONSTRAINT `project_id_refs_id_eb596317` FOREIGN KEY (`project_id`) REFERENCES `sentry_project` (`id`);
ALTER TABLE `sentry_filterkey` ADD CONSTRAINT `project_id_refs_id_c385a797` FOREIGN KEY (`project_id`) REFERENCES `sentry_project` (`id`);
ALTER TABLE `sentry_accessgroup` ADD CONSTRAINT `team_id_refs_id_e1664123` FOREIGN KEY (`team_id`) REFERENCES `sentry_team` (`id`);
ALTER TABLE `sentry_accessgroup_projects` ADD CONSTRAINT `accessgroup_id_refs_id_6d33e3cb` FOREIGN KEY (`accessgroup_id`) REFERENCES `sentry_accessgroup` (`id`);
ALTER TABLE `sentry_accessgroup_projects` ADD CONSTRAINT `project_id_refs_id_988f77dc` FOREIGN KEY (`project_id`) REFERENCES `sentry_project` (`id`);
ALTER TABLE `sentry_accessgroup_members` ADD CONSTRAINT `accessgroup_id_refs_id_f3ae2537` FOREIGN KEY (`accessgroup_id`) REFERENCES `sentry_accessgroup` (`id`);
ALTER TABLE `sentry_accessgroup_members` ADD CONSTRAINT `user_id_refs_id_116848ad` FOREIGN KEY (`user_id`) REFERENCES `auth_user` (`id`);
ALTER TABLE `sentry_rule` ADD CONSTRAINT `project_id_refs_id_c96b69eb` FOREIGN KEY (`project_id`) REFERENCES `sentry_project` (`id`);
ALTER TABLE `sentry_release` ADD CONSTRAINT `project_id_refs_id_21d237e2` FOREIGN KEY (`project_id`) REFERENCES `sentry_project` (`id`);
ALTER TABLE `sentry_groupedmessage` ADD CONSTRAINT `project_id_refs_id_77344b57` FOREIGN KEY (`project_id`) REFERENCES `sentry_project` (`id`);
ALTER TABLE `sentry_groupedmessage` ADD CONSTRAINT `first_release_id_refs_id_d035a570` FOREIGN KEY (`first_release_id`) REFERENCES `sentry_release` (`id`);
ALTER TABLE `sentry_message` ADD CONSTRAINT `group_id_refs_id_249fad1d` FOREIGN KEY (`group_id`) REFERENCES `sentry_groupedmessage` (`id`);
ALTER TABLE `sentry_message` ADD CONSTRAINT `project_id_refs_id_3d28fcbe` FOREIGN KEY (`project_id`) REFERENCES `sentry_project` (`id`);
ALTER TABLE `sentry_messagefiltervalue` ADD CONSTRAINT `group_id_refs_id_1fb6dc4e` FOREIGN KEY (`group_id`) REFERENCES `sentry_groupedmessage` (`id`);
ALTER TABLE `sentry_messagefiltervalue` ADD CONSTRAINT `project_id_refs_id_b5eaf112` FOREIGN KEY (`project_id`) REFERENCES `sentry_project` (`id`);
ALTER TABLE `sentry_groupmeta` ADD CONSTRAINT `group_id_refs_id_6dc57728` FOREIGN KEY (`group_id`) REFERENCES `sentry_groupedmessage` (`id`);
ALTER TABLE `sentry_groupbookmark` ADD CONSTRAINT `project_id_refs_id_18390fbc` FOREIGN KEY (`project_id`) REFERENCES `sentry_project` (`id`);
ALTER TABLE `sentry_groupbookmark` ADD CONSTRAINT `group_id_refs_id_3738447a` FOREIGN KEY (`group_id`) REFERENCES `sentry_groupedmessage` (`id`);
ALTER TABLE `sentry_groupbookmark` ADD CONSTRAINT `user_id_refs_id_05ac45cc` FOREIGN KEY (`user_id`) REFERENCES `auth_user` (`id`);
ALTER TABLE `sentry_activity` ADD CONSTRAINT `project_id_refs_id_0c94d99e` FOREIGN KEY (`project_id`) REFERENCES `sentry_project` (`id`);
ALTER TABLE `sentry_activity` ADD CONSTRAINT `group_id_refs_id_b84d67ec` FOREIGN KEY (`group_id`) REFERENCES `sentry_groupedmessage` (`id`);
ALTER TABLE `sentry_activity` ADD CONSTRAINT `event_id_refs_id_be5b9598` FOREIGN KEY (`event_id`) REFERENCES `sentry_message` (`id`);
ALTER TABLE `sentry_activity` ADD CONSTRAINT `user_id_refs_id_6caec40e` FOREIGN KEY (`user_id`) REFERENCES `auth_user` (`id`);
ALTER TABLE `sentry_grouptagkey` ADD CONSTRAINT `project_id_refs_id_fef15df1` FOREIGN KEY (`project_id`) REFERENCES `sentry_project` (`id`);
ALTER TABLE `sentry_grouptagkey` ADD CONSTRAINT `group_id_refs_id_d78dfb94` FOREIGN KEY (`group_id`) REFERENCES `sentry_groupedmessage` (`id`);
ALTER TABLE `sentry_alert` ADD CONSTRAINT `project_id_refs_id_199010cc` FOREIGN KEY (`project_id`) REFERENCES `sentry_project` (`id`);
ALTER TABLE `sentry_alert` ADD CONSTRAINT `group_id_refs_id_02f9305a` FOREIGN KEY (`group_id`) REFERENCES `sentry_groupedmessage` (`id`);
ALTER TABLE `sentry_alertrelatedgroup` ADD CONSTRAINT `group_id_refs_id_60f6fe2e` FOREIGN KEY (`group_id`) REFERENCES `sentry_groupedmessage` (`id`);
ALTER TABLE `sentry_alertrelatedgroup` ADD CONSTRAINT `alert_id_refs_id_318c5c87` FOREIGN KEY (`alert_id`) REFERENCES `sentry_alert` (`id`);
ALTER TABLE `sentry_eventmapping` ADD CONSTRAINT `project_id_refs_id_953eb70b` FOREIGN KEY (`project_id`) REFERENCES `sentry_project` (`id`);
ALTER TABLE `sentry_eventmapping` ADD CONSTRAINT `group_id_refs_id_9280c863` FOREIGN KEY (`group_id`) REFERENCES `sentry_groupedmessage` (`id`);
ALTER TABLE `sentry_groupseen` ADD CONSTRAINT `project_id_refs_id_67db0efd` FOREIGN KEY (`project_id`) REFERENCES `sentry_project` (`id`);
ALTER TABLE `sentry_groupseen` ADD CONSTRAINT `group_id_refs_id_09b2694a` FOREIGN KEY (`group_id`) REFERENCES `sentry_groupedmessage` (`id`);
ALTER TABLE `sentry_groupseen` ADD CONSTRAINT `user_id_refs_id_270b7315` FOREIGN KEY (`user_id`) REFERENCES `auth_user` (`id`);
ALTER TABLE `sentry_grouprulestatus` ADD CONSTRAINT `project_id_refs_id_09c5b95d` FOREIGN KEY (`project_id`) REFERENCES `sentry_project` (`id`);
ALTER TABLE `sentry_grouprulestatus` ADD CONSTRAINT `rule_id_refs_id_39ff91f8` FOREIGN KEY (`rule_id`) REFERENCES `sentry_rule` (`id`);
ALTER TABLE `sentry_grouprulestatus` ADD CONSTRAINT `group_id_refs_id_66981850` FOREIGN KEY (`group_id`) REFERENCES `sentry_groupedmessage` (`id`);
ALTER TABLE `sentry_groupasignee` ADD CONSTRAINT `project_id_refs_id_1b5200f8` FOREIGN KEY (`project_id`) REFERENCES `sentry_project` (`id`);
ALTER TABLE `sentry_groupasignee` ADD CONSTRAINT `group_id_refs_id_47b32b76` FOREIGN KEY (`group_id`) REFERENCES `sentry_groupedmessage` (`id`);
ALTER TABLE `sentry_groupasignee` ADD CONSTRAINT `user_id_refs_id_f4dcb8d1` FOREIGN KEY (`user_id`) REFERENCES `auth_user` (`id`);
ALTER TABLE `sentry_grouphash` ADD CONSTRAINT `project_id_refs_id_6f0a9434` FOREIGN KEY (`project_id`) REFERENCES `sentry_project` (`id`);
ALTER TABLE `sentry_grouphash` ADD CONSTRAINT `group_id_refs_id_9603f6ba` FOREIGN KEY (`group_id`) REFERENCES `sentry_groupedmessage` (`id`);
ALTER TABLE `sentry_organizationmember` ADD CONSTRAINT `organization_id_refs_id_42dc8e8f` FOREIGN KEY (`organization_id`) REFERENCES `sentry_organization` (`id`);
ALTER TABLE `sentry_organizationmember` ADD CONSTRAINT `user_id_refs_id_be455e60` FOREIGN KEY (`user_id`) REFERENCES `auth_user` (`id`);
ALTER TABLE `sentry_organizationmember_teams` ADD CONSTRAINT `organizationmember_id_refs_id_878802f4` FOREIGN KEY (`organizationmember_id`) REFERENCES `sentry_organizationmember` (`id`);
ALTER TABLE `sentry_organizationmember_teams` ADD CONSTRAINT `team_id_refs_id_d98f2858` FOREIGN KEY (`team_id`) REFERENCES `sentry_team` (`id`);
ALTER TABLE `sentry_apikey` ADD CONSTRAINT `organization_id_refs_id_961ec303` FOREIGN KEY (`organization_id`) REFERENCES `sentry_organization` (`id`);
ALTER TABLE `sentry_auditlogentry` ADD CONSTRAINT `organization_id_refs_id_f5b1844e` FOREIGN KEY (`organization_id`) REFERENCES `sentry_organization` (`id`);
ALTER TABLE `sentry_auditlogentry` ADD CONSTRAINT `target_user_id_refs_id_cac0f7f5` FOREIGN KEY (`target_user_id`) REFERENCES `auth_user` (`id`);
ALTER TABLE `sentry_auditlogentry` ADD CONSTRAINT `actor_id_refs_id_cac0f7f5` FOREIGN KEY (`actor_id`) REFERENCES `auth_user` (`id`);
ALTER TABLE `sentry_auditlogentry` ADD CONSTRAINT `actor_key_id_refs_id_cc2fc30c` FOREIGN KEY (`actor_key_id`) REFERENCES `sentry_apikey` (`id`);
ALTER TABLE `sentry_authprovider` ADD CONSTRAINT `organization_id_refs_id_6a37632f` FOREIGN KEY (`organization_id`) REFERENCES `sentry_organization` (`id`);
ALTER TABLE `sentry_authidentity` ADD CONSTRAINT `user_id_refs_id_78163ab5` FOREIGN KEY (`user_id`) REFERENCES `auth_user` (`id`);
ALTER TABLE `sentry_authidentity` ADD CONSTRAINT `auth_provider_id_refs_id_d9990f1d` FOREIGN KEY (`auth_provider_id`) REFERENCES `sentry_authprovider` (`id`);
ALTER TABLE `sentry_authprovider_default_teams` ADD CONSTRAINT `authprovider_id_refs_id_9e7068be` FOREIGN KEY (`authprovider_id`) REFERENCES `sentry_authprovider` (`id`);
ALTER TABLE `sentry_authprovider_default_teams` ADD CONSTRAINT `team_id_refs_id_10a85f7b` FOREIGN KEY (`team_id`) REFERENCES `sentry_team` (`id`);
ALTER TABLE `sentry_releasefile` ADD CONSTRAINT `project_id_refs_id_878696ea` FOREIGN KEY (`project_id`) REFERENCES `sentry_project` (`id`);
ALTER TABLE `sentry_releasefile` ADD CONSTRAINT `release_id_refs_id_8c214aaf` FOREIGN KEY (`release_id`) REFERENCES `sentry_release` (`id`);
ALTER TABLE `sentry_releasefile` ADD CONSTRAINT `file_id_refs_id_fb71e922` FOREIGN KEY (`file_id`) REFERENCES `sentry_file` (`id`);
ALTER TABLE `sentry_organizationaccessrequest` ADD CONSTRAINT `team_id_refs_id_ea6e538b` FOREIGN KEY (`team_id`) REFERENCES `sentry_team` (`id`);
ALTER TABLE `sentry_organizationaccessrequest` ADD CONSTRAINT `member_id_refs_id_7c8ccc01` FOREIGN KEY (`member_id`) REFERENCES `sentry_organizationmember` (`id`);
ALTER TABLE `sentry_savedsearch` ADD CONSTRAINT `project_id_refs_id_b18120e7` FOREIGN KEY (`project_id`) REFERENCES `sentry_project` (`id`);
ALTER TABLE `sentry_userreport` ADD CONSTRAINT `project_id_refs_id_723e0b3c` FOREIGN KEY (`project_id`) REFERENCES `sentry_project` (`id`);
ALTER TABLE `sentry_userreport` ADD CONSTRAINT `group_id_refs_id_6b3d43d4` FOREIGN KEY (`group_id`) REFERENCES `sentry_groupedmessage` (`id`);
ALTER TABLE `social_auth_usersocialauth` ADD CONSTRAINT `user_id_refs_id_e6cbdf29` FOREIGN KEY (`user_id`) REFERENCES `auth_user` (`id`);

-- South history of a fresh 7.7.0 install
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (1, 'django', '0001_initial', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (2, 'sentry', '0001_initial', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (3, 'sentry', '0002_auto__del_field_groupedmessage_url__chg_field_groupedmessage_view__chg', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (4, 'sentry', '0003_auto__add_field_message_group__del_field_groupedmessage_server_name', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (5, 'sentry', '0004_auto__add_filtervalue__add_unique_filtervalue_key_value', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (6, 'sentry', '0005_auto', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (7, 'sentry', '0006_auto', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (8, 'sentry', '0007_auto__add_field_message_site', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (9, 'sentry', '0008_auto__chg_field_message_view__add_field_groupedmessage_data__chg_field', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (10, 'sentry', '0009_auto__add_field_message_message_id', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (11, 'sentry', '0010_auto__add_messageindex__add_unique_messageindex_column_value_object_id', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (12, 'sentry', '0011_auto__add_field_groupedmessage_score', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (13, 'sentry', '0012_auto', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (14, 'sentry', '0013_auto__add_messagecountbyminute__add_unique_messagecountbyminute_group_', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (15, 'sentry', '0014_auto', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (16, 'sentry', '0014_auto__add_project__add_projectmember__add_unique_projectmember_project', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (17, 'sentry', '0015_auto__add_field_message_project__add_field_messagecountbyminute_projec', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (18, 'sentry', '0016_auto__add_field_projectmember_is_superuser', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (19, 'sentry', '0017_auto__add_field_projectmember_api_key', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (20, 'sentry', '0018_auto__chg_field_project_owner', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (21, 'sentry', '0019_auto__del_field_projectmember_api_key__add_field_projectmember_public_', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (22, 'sentry', '0020_auto__add_projectdomain__add_unique_projectdomain_project_domain', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (23, 'sentry', '0021_auto__del_message__del_groupedmessage__del_unique_groupedmessage_proje', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (24, 'sentry', '0022_auto__del_field_group_class_name__del_field_group_traceback__del_field', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (25, 'sentry', '0023_auto__add_field_event_time_spent', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (26, 'sentry', '0024_auto__add_field_group_time_spent_total__add_field_group_time_spent_cou', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (27, 'sentry', '0025_auto__add_field_messagecountbyminute_time_spent_total__add_field_messa', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (28, 'sentry', '0026_auto__add_field_project_status', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (29, 'sentry', '0027_auto__chg_field_event_server_name', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (30, 'sentry', '0028_auto__add_projectoptions__add_unique_projectoptions_project_key_value', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (31, 'sentry', '0029_auto__del_field_projectmember_is_superuser__del_field_projectmember_pe', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (32, 'sentry', '0030_auto__add_view__chg_field_event_group', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (33, 'sentry', '0031_auto__add_field_view_verbose_name__add_field_view_verbose_name_plural_', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (34, 'sentry', '0032_auto__add_eventmeta', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (35, 'sentry', '0033_auto__add_option__add_unique_option_key_value', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (36, 'sentry', '0034_auto__add_groupbookmark__add_unique_groupbookmark_project_user_group', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (37, 'sentry', '0034_auto__add_unique_option_key__del_unique_option_value_key__del_unique_g', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (38, 'sentry', '0036_auto__chg_field_option_value__chg_field_projectoption_value', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (39, 'sentry', '0037_auto__add_unique_option_key__del_unique_option_value_key__del_unique_g', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (40, 'sentry', '0038_auto__add_searchtoken__add_unique_searchtoken_document_field_token__ad', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (41, 'sentry', '0039_auto__add_field_searchdocument_status', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (42, 'sentry', '0040_auto__del_unique_event_event_id__add_unique_event_project_event_id', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (43, 'sentry', '0041_auto__add_field_messagefiltervalue_last_seen__add_field_messagefilterv', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (44, 'sentry', '0042_auto__add_projectcountbyminute__add_unique_projectcountbyminute_projec', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (45, 'sentry', '0043_auto__chg_field_option_value__chg_field_projectoption_value', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (46, 'sentry', '0044_auto__add_field_projectmember_is_active', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (47, 'sentry', '0045_auto__add_pendingprojectmember__add_unique_pendingprojectmember_projec', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (48, 'sentry', '0046_auto__add_teammember__add_unique_teammember_team_user__add_team__add_p', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (49, 'sentry', '0047_migrate_project_slugs', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (50, 'sentry', '0048_migrate_project_keys', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (51, 'sentry', '0049_create_default_project_keys', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (52, 'sentry', '0050_remove_project_keys_from_members', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (53, 'sentry', '0051_auto__del_pendingprojectmember__del_unique_pendingprojectmember_projec', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (54, 'sentry', '0052_migrate_project_members', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (55, 'sentry', '0053_auto__del_projectmember__del_unique_projectmember_project_user', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (56, 'sentry', '0054_fix_project_keys', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (57, 'sentry', '0055_auto__del_projectdomain__del_unique_projectdomain_project_domain', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (58, 'sentry', '0056_auto__add_field_group_resolved_at', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (59, 'sentry', '0057_auto__add_field_group_active_at', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (60, 'sentry', '0058_auto__add_useroption__add_unique_useroption_user_project_key', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (61, 'sentry', '0059_auto__add_filterkey__add_unique_filterkey_project_key', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (62, 'sentry', '0060_fill_filter_key', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (63, 'sentry', '0061_auto__add_field_group_group_id__add_field_group_is_public', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (64, 'sentry', '0062_correct_del_index_sentry_groupedmessage_logger__view__checksum', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (65, 'sentry', '0063_auto', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (66, 'sentry', '0064_index_checksum', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (67, 'sentry', '0065_create_default_project_key', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (68, 'sentry', '0066_auto__del_view', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (69, 'sentry', '0067_auto__add_field_group_platform__add_field_event_platform', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (70, 'sentry', '0068_auto__add_field_projectkey_user_added__add_field_projectkey_date_added', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (71, 'sentry', '0069_auto__add_lostpasswordhash', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (72, 'sentry', '0070_projectoption_key_length', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (73, 'sentry', '0071_auto__add_field_group_users_seen', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (74, 'sentry', '0072_auto__add_affecteduserbygroup__add_unique_affecteduserbygroup_project_', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (75, 'sentry', '0073_auto__add_field_project_platform', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (76, 'sentry', '0074_correct_filtervalue_index', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (77, 'sentry', '0075_add_groupbookmark_index', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (78, 'sentry', '0076_add_groupmeta_index', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (79, 'sentry', '0077_auto__add_trackeduser__add_unique_trackeduser_project_ident', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (80, 'sentry', '0078_auto__add_field_affecteduserbygroup_tuser', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (81, 'sentry', '0079_auto__del_unique_affecteduserbygroup_project_ident_group__add_unique_a', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (82, 'sentry', '0080_auto__chg_field_affecteduserbygroup_ident', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (83, 'sentry', '0081_fill_trackeduser', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (84, 'sentry', '0082_auto__add_activity__add_field_group_num_comments__add_field_event_num_', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (85, 'sentry', '0083_migrate_dupe_groups', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (86, 'sentry', '0084_auto__del_unique_group_project_checksum_logger_culprit__add_unique_gro', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (87, 'sentry', '0085_auto__del_unique_project_slug__add_unique_project_slug_team', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (88, 'sentry', '0086_auto__add_field_team_date_added', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (89, 'sentry', '0087_auto__del_messagefiltervalue__del_unique_messagefiltervalue_project_ke', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (90, 'sentry', '0088_auto__del_messagecountbyminute__del_unique_messagecountbyminute_projec', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (91, 'sentry', '0089_auto__add_accessgroup__add_unique_accessgroup_team_name', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (92, 'sentry', '0090_auto__add_grouptagkey__add_unique_grouptagkey_project_group_key__add_f', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (93, 'sentry', '0091_auto__add_alert', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (94, 'sentry', '0092_auto__add_alertrelatedgroup__add_unique_alertrelatedgroup_group_alert', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (95, 'sentry', '0093_auto__add_field_alert_status', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (96, 'sentry', '0094_auto__add_eventmapping__add_unique_eventmapping_project_event_id', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (97, 'sentry', '0095_rebase', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (98, 'sentry', '0096_auto__add_field_tagvalue_data', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (99, 'sentry', '0097_auto__del_affecteduserbygroup__del_unique_affecteduserbygroup_project_', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (100, 'sentry', '0098_auto__add_user__chg_field_team_owner__chg_field_activity_user__chg_fie', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (101, 'sentry', '0099_auto__del_field_teammember_is_active', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (102, 'sentry', '0100_auto__add_field_tagkey_label', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (103, 'sentry', '0101_ensure_teams', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (104, 'sentry', '0102_ensure_slugs', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (105, 'sentry', '0103_ensure_non_empty_slugs', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (106, 'sentry', '0104_auto__add_groupseen__add_unique_groupseen_group_user', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (107, 'sentry', '0105_auto__chg_field_projectcountbyminute_time_spent_total__chg_field_group', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (108, 'sentry', '0106_auto__del_searchtoken__del_unique_searchtoken_document_field_token__de', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (109, 'sentry', '0107_expand_user', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (110, 'sentry', '0108_fix_user', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (111, 'sentry', '0109_index_filtervalue_times_seen', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (112, 'sentry', '0110_index_filtervalue_last_seen', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (113, 'sentry', '0111_index_filtervalue_first_seen', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (114, 'sentry', '0112_auto__chg_field_option_value__chg_field_useroption_value__chg_field_pr', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (115, 'sentry', '0113_auto__add_field_team_status', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (116, 'sentry', '0114_auto__add_field_projectkey_roles', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (117, 'sentry', '0115_auto__del_projectcountbyminute__del_unique_projectcountbyminute_projec', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (118, 'sentry', '0116_auto__del_field_event_server_name__del_field_event_culprit__del_field_', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (119, 'sentry', '0117_auto__add_rule', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (120, 'sentry', '0118_create_default_rules', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (121, 'sentry', '0119_auto__add_field_projectkey_label', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (122, 'sentry', '0120_auto__add_grouprulestatus', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (123, 'sentry', '0121_auto__add_unique_grouprulestatus_rule_group', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (124, 'sentry', '0122_add_event_group_id_datetime_index', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (125, 'sentry', '0123_auto__add_groupassignee__add_index_event_group_datetime', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (126, 'sentry', '0124_auto__add_grouphash__add_unique_grouphash_project_hash', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (127, 'sentry', '0125_auto__add_field_user_is_managed', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (128, 'sentry', '0126_auto__add_field_option_last_updated', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (129, 'sentry', '0127_auto__add_release__add_unique_release_project_version', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (130, 'sentry', '0128_auto__add_broadcast', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (131, 'sentry', '0129_auto__chg_field_release_id__chg_field_pendingteammember_id__chg_field_', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (132, 'sentry', '0130_auto__del_field_project_owner', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (133, 'sentry', '0131_auto__add_organizationmember__add_unique_organizationmember_organizati', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (134, 'sentry', '0132_add_default_orgs', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (135, 'sentry', '0133_add_org_members', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (136, 'sentry', '0134_auto__chg_field_team_organization', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (137, 'sentry', '0135_auto__chg_field_project_team', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (138, 'sentry', '0136_auto__add_field_organizationmember_email__chg_field_organizationmember', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (139, 'sentry', '0137_auto__add_field_organizationmember_has_global_access', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (140, 'sentry', '0138_migrate_team_members', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (141, 'sentry', '0139_auto__add_auditlogentry', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (142, 'sentry', '0140_auto__add_field_organization_slug', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (143, 'sentry', '0141_fill_org_slugs', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (144, 'sentry', '0142_auto__add_field_project_organization__add_unique_project_organization_', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (145, 'sentry', '0143_fill_project_orgs', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (146, 'sentry', '0144_auto__chg_field_project_organization', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (147, 'sentry', '0145_auto__chg_field_organization_slug', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (148, 'sentry', '0146_auto__add_field_auditlogentry_ip_address', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (149, 'sentry', '0147_auto__del_unique_team_slug__add_unique_team_organization_slug', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (150, 'sentry', '0148_auto__add_helppage', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (151, 'sentry', '0149_auto__chg_field_groupseen_project__chg_field_groupseen_user__chg_field', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (152, 'sentry', '0150_fix_broken_rules', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (153, 'sentry', '0151_auto__add_file', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (154, 'sentry', '0152_auto__add_field_file_checksum__chg_field_file_name__add_unique_file_na', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (155, 'sentry', '0153_auto__add_field_grouprulestatus_last_active', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (156, 'sentry', '0154_auto__add_field_tagkey_status', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (157, 'sentry', '0155_auto__add_field_projectkey_status', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (158, 'sentry', '0156_auto__add_apikey', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (159, 'sentry', '0157_auto__add_authidentity__add_unique_authidentity_auth_provider_ident__a', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (160, 'sentry', '0158_auto__add_unique_authidentity_auth_provider_user', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (161, 'sentry', '0159_auto__add_field_authidentity_last_verified__add_field_organizationmemb', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (162, 'sentry', '0160_auto__add_field_authprovider_default_global_access', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (163, 'sentry', '0161_auto__chg_field_authprovider_config', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (164, 'sentry', '0162_auto__chg_field_authidentity_data', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (165, 'sentry', '0163_auto__add_field_authidentity_last_synced', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (166, 'sentry', '0164_auto__add_releasefile__add_unique_releasefile_release_ident__add_field', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (167, 'sentry', '0165_auto__del_unique_file_name_checksum', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (168, 'sentry', '0166_auto__chg_field_user_id__add_field_apikey_allowed_origins', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (169, 'sentry', '0167_auto__add_field_authprovider_flags', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (170, 'sentry', '0168_unfill_projectkey_user', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (171, 'sentry', '0169_auto__del_field_projectkey_user', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (172, 'sentry', '0170_auto__add_organizationmemberteam__add_unique_organizationmemberteam_te', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (173, 'sentry', '0171_auto__chg_field_team_owner', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (174, 'sentry', '0172_auto__del_field_team_owner', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (175, 'sentry', '0173_auto__del_teammember__del_unique_teammember_team_user', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (176, 'sentry', '0174_auto__del_field_projectkey_user_added', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (177, 'sentry', '0175_auto__del_pendingteammember__del_unique_pendingteammember_team_email', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (178, 'sentry', '0176_auto__add_field_organizationmember_counter__add_unique_organizationmem', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (179, 'sentry', '0177_fill_member_counters', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (180, 'sentry', '0178_auto__del_unique_organizationmember_organization_counter', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (181, 'sentry', '0179_auto__add_field_release_date_released', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (182, 'sentry', '0180_auto__add_field_release_environment__add_field_release_ref__add_field_', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (183, 'sentry', '0181_auto__del_field_release_environment__del_unique_release_project_versio', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (184, 'sentry', '0182_auto__add_field_auditlogentry_actor_label__add_field_auditlogentry_act', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (185, 'sentry', '0183_auto__del_index_grouphash_hash', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (186, 'sentry', '0184_auto__del_field_group_checksum__del_unique_group_project_checksum__del', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (187, 'sentry', '0185_auto__add_savedsearch__add_unique_savedsearch_project_name', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (188, 'sentry', '0186_auto__add_field_group_first_release', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (189, 'sentry', '0187_auto__add_index_group_project_first_release', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (190, 'sentry', '0188_auto__add_userreport', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (191, 'sentry', '0189_auto__add_index_userreport_project_event_id', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (192, 'sentry', '0190_auto__add_field_release_new_groups', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (193, 'nodestore', '0001_initial', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (194, 'search', '0001_initial', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (195, 'search', '0002_auto__del_searchtoken__del_unique_searchtoken_document_field_token__de', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (196, 'social_auth', '0001_initial', '2015-08-01 00:00:00');
INSERT INTO `south_migrationhistory` (`id`, `app_name`, `migration`, `applied`) VALUES (197, 'social_auth', '0002_auto__add_unique_nonce_timestamp_salt_server_url__add_unique_associati', '2015-08-01 00:00:00');

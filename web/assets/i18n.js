/**
 * The one dictionary of the web pages: Simplified Chinese (default) and English.
 *
 * Static text carries `data-i18n="key"` (plus `data-i18n-placeholder`,
 * `data-i18n-aria-label`, `data-i18n-title`); text rendered from data carries
 * `data-i18n` with `data-i18n-args`, `data-zh`/`data-en` for bilingual data, or
 * `data-reason` for matching reasons. Switching language re-applies all of
 * them in place, so pages never re-render (and never lose what was typed).
 */

export const LANGS = ['zh-CN', 'en'];
const STORAGE_KEY = 'yanbao.lang';

const zh = {
  'app.name': '延保',
  'app.portal': '厂商门户',
  'app.tagline': '原厂延保，一码直达消费者',
  'lang.switch': 'English',
  'lang.switchLabel': '切换到英文',

  'nav.dashboard': '概览',
  'nav.products': '主产品',
  'nav.drafts': '方案草稿',
  'nav.review': '审核队列',
  'nav.plans': '已发布方案',
  'nav.users': '用户',
  'nav.logout': '退出登录',
  'nav.main': '主导航',

  'common.loading': '加载中…',
  'common.save': '保存',
  'common.cancel': '取消',
  'common.edit': '编辑',
  'common.open': '打开',
  'common.none': '暂无',
  'common.yes': '是',
  'common.no': '否',
  'common.actions': '操作',
  'common.required': '必填',
  'common.optional': '选填',
  'common.months': '{n} 个月',
  'common.days': '{n} 天',
  'common.error': '出错了',
  'common.networkError': '无法连接服务器，请稍后重试。',
  'common.serverError': '服务器出错，请稍后重试。',
  'common.fixFields': '请修改标出的字段。',
  'common.forbidden': '没有权限：{message}',
  'common.remove': '移除',

  'title.landing': '延保 · 原厂延保平台',
  'title.login': '登录 · 延保厂商门户',
  'title.signup': '注册 · 延保厂商门户',
  'title.dashboard': '概览 · 延保厂商门户',
  'title.products': '主产品 · 延保厂商门户',
  'title.drafts': '方案草稿 · 延保厂商门户',
  'title.draftNew': '新建方案草稿 · 延保厂商门户',
  'title.draft': '方案草稿 · 延保厂商门户',
  'title.review': '审核队列 · 延保厂商门户',
  'title.plans': '已发布方案 · 延保厂商门户',
  'title.plan': '延保方案 · 延保厂商门户',
  'title.users': '用户 · 延保厂商门户',

  'landing.heading': '原厂延保，一码直达',
  'landing.lead':
    '制造商把自己的产品做成原厂延保方案，在包装上印一个二维码，直接卖给购买产品的消费者：没有中间商加价，没有第三方维修。',
  'landing.portal': '进入厂商门户',
  'landing.signup': '注册制造商',
  'landing.docs': 'API 文档',
  'landing.f1.title': '录入主产品',
  'landing.f1.body': '品牌、型号、零售价、原厂保修期与序列号格式。',
  'landing.f2.title': '智能匹配条款',
  'landing.f2.body': '按品类、价格带、期限与保障范围推荐相似案例和条款。',
  'landing.f3.title': '双人审核发布',
  'landing.f3.body': '编辑提交、审核人批准，冻结条款版本并生成二维码与标签。',

  'login.heading': '登录厂商门户',
  'login.email': '邮箱',
  'login.password': '密码',
  'login.submit': '登录',
  'login.noAccount': '还没有账号？',
  'login.signupLink': '注册制造商',
  'login.failed': '邮箱或密码错误。',
  'login.rateLimited': '尝试次数过多，请一分钟后再试。',

  'signup.heading': '注册制造商',
  'signup.lead': '注册后您将成为该制造商的管理员，同时拥有编辑和审核权限。',
  'signup.company': '企业信息',
  'signup.companyName': '企业名称',
  'signup.uscc': '统一社会信用代码',
  'signup.usccHint': '18 位，营业执照上的代码',
  'signup.contactName': '联系人',
  'signup.contactPhone': '联系人手机',
  'signup.companyEmail': '企业邮箱',
  'signup.user': '管理员账号',
  'signup.displayName': '姓名',
  'signup.email': '登录邮箱',
  'signup.password': '密码',
  'signup.passwordHint': '至少 10 个字符',
  'signup.submit': '注册并登录',
  'signup.haveAccount': '已有账号？',
  'signup.loginLink': '登录',

  'dashboard.heading': '概览',
  'dashboard.welcome': '{name}，欢迎回来',
  'dashboard.company': '企业',
  'dashboard.roles': '角色',
  'dashboard.products': '主产品',
  'dashboard.drafts': '方案草稿',
  'dashboard.awaitingReview': '待审核',
  'dashboard.plans': '已发布方案',
  'dashboard.recentDrafts': '最近的方案草稿',
  'dashboard.quick': '快捷操作',
  'dashboard.suspended': '该制造商已被暂停，只能查看数据。',

  'products.heading': '主产品',
  'products.new': '新增主产品',
  'products.empty': '还没有主产品。先录入一个产品，再为它创建延保方案。',
  'products.formNew': '新增主产品',
  'products.formEdit': '编辑主产品',
  'products.brand': '品牌',
  'products.name': '产品名称',
  'products.model': '型号',
  'products.category': '品类',
  'products.retailPrice': '零售价（元）',
  'products.retailPriceHint': '例如 2999.00',
  'products.baseWarranty': '原厂保修（月）',
  'products.launchDate': '上市日期',
  'products.serialPattern': '序列号格式（正则表达式）',
  'products.serialPatternHint': '例如 ^XH[0-9]{10}$，留空表示不校验',
  'products.saved': '主产品已保存。',
  'products.newDraft': '创建延保方案',
  'products.chooseCategory': '请选择品类',

  'drafts.heading': '方案草稿',
  'drafts.new': '新建方案草稿',
  'drafts.empty': '还没有方案草稿。',
  'drafts.name': '方案名称',
  'drafts.status': '状态',
  'drafts.term': '期限',
  'drafts.price': '价格',
  'drafts.updated': '更新时间',

  'draftNew.heading': '新建方案草稿',
  'draftNew.lead': '填写延保需求，系统会启动方案创建流程并推荐相似案例与条款。',
  'draftNew.product': '主产品',
  'draftNew.chooseProduct': '请选择主产品',
  'draftNew.noProducts': '还没有主产品，请先录入主产品。',
  'draftNew.productHint': '零售价 {price}，原厂保修 {months} 个月',
  'draftNew.nameZh': '方案名称（中文）',
  'draftNew.nameEn': '方案名称（英文）',
  'draftNew.term': '保障期限（月）',
  'draftNew.startRule': '保障起始规则',
  'draftNew.waitingDays': '等待天数',
  'draftNew.price': '方案售价（元）',
  'draftNew.priceHint': '必须低于主产品零售价',
  'draftNew.window': '可购买期限（购机后天数）',
  'draftNew.coverage': '保障范围',
  'draftNew.coverageHint': '除外责任、理赔流程、退保规则条款会自动加入每个方案。',
  'draftNew.submit': '创建草稿并开始匹配',

  'draft.heading': '方案草稿',
  'draft.product': '主产品',
  'draft.term': '保障期限',
  'draft.price': '方案售价',
  'draft.startRule': '起始规则',
  'draft.window': '可购买期限',
  'draft.coverage': '保障范围',
  'draft.status': '状态',
  'draft.workflow': '流程进度',
  'draft.temporal': '在 Temporal 中查看流程历史',
  'draft.waiting': '正在匹配相似案例和条款…',
  'draft.cases': '相似案例',
  'draft.casesEmpty': '没有找到同品类的已发布方案。',
  'draft.case.plan': '方案',
  'draft.case.manufacturer': '制造商',
  'draft.case.product': '产品',
  'draft.case.term': '期限',
  'draft.case.price': '价格',
  'draft.score': '匹配度',
  'draft.reasons': '匹配理由',
  'draft.picker': '选择条款',
  'draft.pickerLead':
    '已为每个需要的保障类型预选得分最高的条款。您可以调整、从条款库添加，或编写自定义条款。',
  'draft.needed': '必须覆盖的类型',
  'draft.suggested': '推荐条款',
  'draft.fromLibrary': '从条款库添加的条款',
  'draft.moreClauses': '另外 {n} 条推荐',
  'draft.clauseBody': '查看条款全文',
  'draft.library': '搜索条款库',
  'draft.libraryQuery': '关键词',
  'draft.libraryType': '保障类型',
  'draft.libraryAnyType': '全部类型',
  'draft.libraryCategoryOnly': '仅限本品类',
  'draft.librarySearch': '搜索',
  'draft.libraryEmpty': '没有符合条件的条款。',
  'draft.libraryTotal': '共 {n} 条',
  'draft.add': '添加',
  'draft.added': '已添加',
  'draft.custom': '自定义条款',
  'draft.customAdd': '添加自定义条款',
  'draft.customN': '自定义条款 {n}',
  'draft.custom.type': '保障类型',
  'draft.custom.titleZh': '标题（中文）',
  'draft.custom.titleEn': '标题（英文）',
  'draft.custom.bodyZh': '正文（中文）',
  'draft.custom.bodyEn': '正文（英文）',
  'draft.selectedCount': '已选 {n} 条',
  'draft.submit': '提交审核',
  'draft.submitted': '条款选择已提交，等待审核。',
  'draft.selection': '已选条款',
  'draft.selectionCustom': '自定义',
  'draft.changesRequested': '审核人要求修改',
  'draft.approvedNote': '审核意见',
  'draft.reviewComment': '审核意见',
  'draft.reviewCommentHint': '要求修改时必须说明需要修改的内容',
  'draft.approve': '批准并发布',
  'draft.requestChanges': '要求修改',
  'draft.reviewTitle': '审核',
  'draft.fourEyes': '您提交了这份条款选择，按照双人审核原则需由另一位审核人审核。',
  'draft.reviewSent': '审核意见已提交。',
  'draft.published': '方案已发布',
  'draft.openPlan': '查看已发布方案',
  'draft.expired': '该草稿超过 30 天无人处理，已失效。',
  'draft.editorOnly': '只有编辑可以选择条款。',
  'draft.awaitingReviewNote': '等待审核人审核。',
  'draft.publishing': '正在发布并生成二维码…',

  'review.heading': '审核队列',
  'review.lead': '等待审核的方案草稿。按照双人审核原则，您不能审核自己提交的选择。',
  'review.empty': '没有等待审核的草稿。',
  'review.submittedAt': '提交时间',
  'review.open': '审核',

  'plans.heading': '已发布方案',
  'plans.empty': '还没有已发布的方案。',
  'plans.code': '方案代码',
  'plans.version': '版本',
  'plans.created': '发布时间',

  'plan.heading': '延保方案',
  'plan.code': '方案代码',
  'plan.status': '状态',
  'plan.publicUrl': '消费者页面',
  'plan.qr': '二维码',
  'plan.qrAlt': '方案二维码，指向消费者页面',
  'plan.downloads': '下载',
  'plan.downloadPng': '下载二维码（PNG）',
  'plan.downloadSvg': '下载二维码（SVG）',
  'plan.downloadPdf': '下载打印标签（PDF）',
  'plan.version': '当前版本',
  'plan.versionN': '第 {n} 版',
  'plan.publishedAt': '发布时间',
  'plan.submittedBy': '提交人',
  'plan.approvedBy': '审核人',
  'plan.clauses': '条款（已冻结）',
  'plan.history': '版本记录',
  'plan.draftLink': '查看方案草稿',

  'users.heading': '用户',
  'users.lead': '管理员可以为本企业添加编辑和审核人。',
  'users.name': '姓名',
  'users.email': '邮箱',
  'users.roles': '角色',
  'users.add': '添加用户',
  'users.password': '初始密码',
  'users.passwordHint': '至少 10 个字符，请告知该用户',
  'users.added': '用户已添加。',
  'users.adminOnly': '只有管理员可以添加用户。',

  'role.admin': '管理员',
  'role.editor': '编辑',
  'role.approver': '审核人',

  'category.smartphone': '智能手机',
  'category.laptop': '笔记本电脑',
  'category.tablet': '平板电脑',
  'category.tv': '电视',
  'category.refrigerator': '冰箱',
  'category.washing_machine': '洗衣机',
  'category.air_conditioner': '空调',
  'category.small_kitchen_appliance': '厨房小家电',

  'coverage.parts_labour': '零件与人工',
  'coverage.accidental_damage': '意外损坏',
  'coverage.liquid_damage': '进液损坏',
  'coverage.screen': '屏幕',
  'coverage.battery': '电池',
  'coverage.on_site_service': '上门服务',
  'coverage.replacement': '换新',
  'coverage.exclusions': '除外责任',
  'coverage.claim_procedure': '理赔流程',
  'coverage.cancellation_refund': '退保与退款',
  'coverage.general_terms': '一般条款',

  'stage.entry': '录入',
  'stage.matching': '条款匹配',
  'stage.awaiting_selection': '待选择条款',
  'stage.awaiting_review': '待审核',
  'stage.publishing': '发布中',
  'stage.published': '已发布',
  'stage.expired': '已失效',

  'status.entered': '已录入',
  'status.awaiting_selection': '待选择条款',
  'status.awaiting_review': '待审核',
  'status.published': '已发布',
  'status.expired': '已失效',
  'status.on_sale': '在售',
  'status.retired': '已下架',
  'status.active': '正常',
  'status.suspended': '已暂停',

  'startRule.after_base_warranty': '原厂保修结束后开始',
  'startRule.from_purchase': '购买之日起开始',
  'startRule.waiting_days': '等待期后开始',
  'startRule.waiting_days_n': '购买后等待 {n} 天开始',

  'reason.sameCategory': '同品类（{category}）',
  'reason.samePriceBand': '零售价位相同',
  'reason.sameTerm': '期限相同（{n} 个月）',
  'reason.coversSame': '{n}% 的保障范围相同',
  'reason.coversWanted': '覆盖所需的{type}',
  'reason.standardTerm': '标准条款：{type}',
  'reason.writtenFor': '专为{categories}编写',
  'reason.textMatches': '文本与草稿相符（{n}%）',
  'reason.usedBy': '{n}% 的相似方案采用',

  'msg.required': '必填',
  'msg.blank': '不能为空',
  'msg.email': '邮箱格式不正确',
  'msg.minLength': '至少 {n} 个字符',
  'msg.maxLength': '最多 {n} 个字符',
  'msg.integer': '必须是整数',
  'msg.money': '请输入金额，例如 2999.00（最多两位小数）',
  'msg.date': '请输入日期（年-月-日）',
  'msg.phone': '不是有效的手机号码',
  'msg.oneOf': '请从列表中选择',
  'msg.minimum': '不能小于 {n}',
  'msg.maximum': '不能大于 {n}',
  'msg.alreadyRegistered': '已被注册',
  'msg.usccLength': '必须是 18 个字符',
  'msg.usccCharacter': '第 {n} 个字符“{c}”不允许（只能是数字和除 I、O、S、V、Z 以外的大写字母）',
  'msg.usccCheck': '校验码不正确',
  'msg.minFen': '不能低于 ¥1.00',
  'msg.belowRetail': '必须低于主产品零售价',
  'msg.modelExists': '该品牌下已有此型号',
  'msg.launchFuture': '不能晚于一年以后',
  'msg.badRegex': '不是有效的正则表达式',
  'msg.notYourProduct': '不是本企业的主产品',
  'msg.needBenefit': '至少选择一项保障（维修内容）',
  'msg.missingType': '没有选择“{type}”类型的条款',
  'msg.atLeastOne': '至少选择一项',
  'msg.sayWhatChanges': '请说明需要修改的内容',
  'msg.fourEyes': '双人审核原则：审核人不能是提交条款选择的人',
};

const en = {
  'app.name': 'Yanbao',
  'app.portal': 'Manufacturer portal',
  'app.tagline': 'Original-manufacturer extended warranties, one QR code away',
  'lang.switch': '中文',
  'lang.switchLabel': 'Switch to Chinese',

  'nav.dashboard': 'Overview',
  'nav.products': 'Products',
  'nav.drafts': 'Plan drafts',
  'nav.review': 'Review queue',
  'nav.plans': 'Published plans',
  'nav.users': 'Users',
  'nav.logout': 'Log out',
  'nav.main': 'Main navigation',

  'common.loading': 'Loading…',
  'common.save': 'Save',
  'common.cancel': 'Cancel',
  'common.edit': 'Edit',
  'common.open': 'Open',
  'common.none': 'None',
  'common.yes': 'Yes',
  'common.no': 'No',
  'common.actions': 'Actions',
  'common.required': 'required',
  'common.optional': 'optional',
  'common.months': '{n} months',
  'common.days': '{n} days',
  'common.error': 'Something went wrong',
  'common.networkError': 'Cannot reach the server; please try again.',
  'common.serverError': 'The server had a problem; please try again.',
  'common.fixFields': 'Please correct the marked fields.',
  'common.forbidden': 'Not allowed: {message}',
  'common.remove': 'Remove',

  'title.landing': 'Yanbao · original-manufacturer extended warranties',
  'title.login': 'Log in · Yanbao manufacturer portal',
  'title.signup': 'Sign up · Yanbao manufacturer portal',
  'title.dashboard': 'Overview · Yanbao manufacturer portal',
  'title.products': 'Products · Yanbao manufacturer portal',
  'title.drafts': 'Plan drafts · Yanbao manufacturer portal',
  'title.draftNew': 'New plan draft · Yanbao manufacturer portal',
  'title.draft': 'Plan draft · Yanbao manufacturer portal',
  'title.review': 'Review queue · Yanbao manufacturer portal',
  'title.plans': 'Published plans · Yanbao manufacturer portal',
  'title.plan': 'Warranty plan · Yanbao manufacturer portal',
  'title.users': 'Users · Yanbao manufacturer portal',

  'landing.heading': 'Original-manufacturer extended warranties, one scan away',
  'landing.lead':
    'Manufacturers turn their products into extended-warranty plans, print a QR code on the box and sell the plan directly to the people who bought the product: no reseller markup, no third-party repair shops.',
  'landing.portal': 'Open the manufacturer portal',
  'landing.signup': 'Register a manufacturer',
  'landing.docs': 'API documentation',
  'landing.f1.title': 'Enter main products',
  'landing.f1.body': 'Brand, model, retail price, base warranty and serial-number format.',
  'landing.f2.title': 'Clause matching',
  'landing.f2.body': 'Similar cases and clauses ranked by category, price band, term and coverage.',
  'landing.f3.title': 'Four-eyes publishing',
  'landing.f3.body':
    'An editor submits, an approver approves; the clauses are frozen and the QR code and label issued.',

  'login.heading': 'Log in to the manufacturer portal',
  'login.email': 'Email',
  'login.password': 'Password',
  'login.submit': 'Log in',
  'login.noAccount': 'No account yet?',
  'login.signupLink': 'Register a manufacturer',
  'login.failed': 'Wrong email or password.',
  'login.rateLimited': 'Too many attempts; try again in a minute.',

  'signup.heading': 'Register a manufacturer',
  'signup.lead':
    'You become the administrator of the manufacturer, with the editor and approver roles as well.',
  'signup.company': 'Company',
  'signup.companyName': 'Registered company name',
  'signup.uscc': 'Unified social credit code',
  'signup.usccHint': '18 characters, from the business licence',
  'signup.contactName': 'Contact person',
  'signup.contactPhone': 'Contact mobile phone',
  'signup.companyEmail': 'Company email',
  'signup.user': 'Administrator account',
  'signup.displayName': 'Your name',
  'signup.email': 'Login email',
  'signup.password': 'Password',
  'signup.passwordHint': 'at least 10 characters',
  'signup.submit': 'Register and log in',
  'signup.haveAccount': 'Already registered?',
  'signup.loginLink': 'Log in',

  'dashboard.heading': 'Overview',
  'dashboard.welcome': 'Welcome back, {name}',
  'dashboard.company': 'Company',
  'dashboard.roles': 'Roles',
  'dashboard.products': 'Products',
  'dashboard.drafts': 'Plan drafts',
  'dashboard.awaitingReview': 'Awaiting review',
  'dashboard.plans': 'Published plans',
  'dashboard.recentDrafts': 'Recent plan drafts',
  'dashboard.quick': 'Quick actions',
  'dashboard.suspended': 'This manufacturer is suspended: data is read-only.',

  'products.heading': 'Main products',
  'products.new': 'Add product',
  'products.empty': 'No products yet. Add a product first, then create extended-warranty plans for it.',
  'products.formNew': 'Add a main product',
  'products.formEdit': 'Edit main product',
  'products.brand': 'Brand',
  'products.name': 'Product name',
  'products.model': 'Model',
  'products.category': 'Category',
  'products.retailPrice': 'Retail price (¥)',
  'products.retailPriceHint': 'e.g. 2999.00',
  'products.baseWarranty': 'Base warranty (months)',
  'products.launchDate': 'Launch date',
  'products.serialPattern': 'Serial number format (regular expression)',
  'products.serialPatternHint': 'e.g. ^XH[0-9]{10}$; leave empty to accept any',
  'products.saved': 'Product saved.',
  'products.newDraft': 'New plan',
  'products.chooseCategory': 'Choose a category',

  'drafts.heading': 'Plan drafts',
  'drafts.new': 'New plan draft',
  'drafts.empty': 'No plan drafts yet.',
  'drafts.name': 'Plan name',
  'drafts.status': 'Status',
  'drafts.term': 'Term',
  'drafts.price': 'Price',
  'drafts.updated': 'Updated',

  'draftNew.heading': 'New plan draft',
  'draftNew.lead':
    'Enter the warranty requirement; a plan-creation workflow starts and suggests similar cases and clauses.',
  'draftNew.product': 'Main product',
  'draftNew.chooseProduct': 'Choose a product',
  'draftNew.noProducts': 'No products yet: add a main product first.',
  'draftNew.productHint': 'Retail price {price}, base warranty {months} months',
  'draftNew.nameZh': 'Plan name (Chinese)',
  'draftNew.nameEn': 'Plan name (English)',
  'draftNew.term': 'Term (months)',
  'draftNew.startRule': 'Coverage starts',
  'draftNew.waitingDays': 'Waiting days',
  'draftNew.price': 'Plan price (¥)',
  'draftNew.priceHint': "must be below the product's retail price",
  'draftNew.window': 'Purchase window (days after buying the product)',
  'draftNew.coverage': 'Coverage',
  'draftNew.coverageHint': 'Exclusions, claim procedure and cancellation clauses are added to every plan.',
  'draftNew.submit': 'Create draft and start matching',

  'draft.heading': 'Plan draft',
  'draft.product': 'Main product',
  'draft.term': 'Term',
  'draft.price': 'Plan price',
  'draft.startRule': 'Coverage starts',
  'draft.window': 'Purchase window',
  'draft.coverage': 'Coverage',
  'draft.status': 'Status',
  'draft.workflow': 'Workflow progress',
  'draft.temporal': 'Open the workflow history in Temporal',
  'draft.waiting': 'Matching similar cases and clauses…',
  'draft.cases': 'Similar cases',
  'draft.casesEmpty': 'No published plans of this category were found.',
  'draft.case.plan': 'Plan',
  'draft.case.manufacturer': 'Manufacturer',
  'draft.case.product': 'Product',
  'draft.case.term': 'Term',
  'draft.case.price': 'Price',
  'draft.score': 'Score',
  'draft.reasons': 'Why',
  'draft.picker': 'Choose clauses',
  'draft.pickerLead':
    'The best-scoring clause of every coverage type the plan needs is pre-selected. Adjust, add clauses from the library, or write custom clauses.',
  'draft.needed': 'Types that must be covered',
  'draft.suggested': 'Suggested clauses',
  'draft.fromLibrary': 'Added from the library',
  'draft.moreClauses': '{n} more suggestions',
  'draft.clauseBody': 'Read the full clause',
  'draft.library': 'Search the clause library',
  'draft.libraryQuery': 'Keywords',
  'draft.libraryType': 'Coverage type',
  'draft.libraryAnyType': 'All types',
  'draft.libraryCategoryOnly': 'Only this category',
  'draft.librarySearch': 'Search',
  'draft.libraryEmpty': 'No clauses match.',
  'draft.libraryTotal': '{n} found',
  'draft.add': 'Add',
  'draft.added': 'Added',
  'draft.custom': 'Custom clauses',
  'draft.customAdd': 'Add a custom clause',
  'draft.customN': 'Custom clause {n}',
  'draft.custom.type': 'Coverage type',
  'draft.custom.titleZh': 'Title (Chinese)',
  'draft.custom.titleEn': 'Title (English)',
  'draft.custom.bodyZh': 'Text (Chinese)',
  'draft.custom.bodyEn': 'Text (English)',
  'draft.selectedCount': '{n} selected',
  'draft.submit': 'Submit for review',
  'draft.submitted': 'Clause selection submitted; waiting for review.',
  'draft.selection': 'Selected clauses',
  'draft.selectionCustom': 'custom',
  'draft.changesRequested': 'The approver requested changes',
  'draft.approvedNote': 'Review comment',
  'draft.reviewComment': 'Comment',
  'draft.reviewCommentHint': 'required when requesting changes: say what should change',
  'draft.approve': 'Approve and publish',
  'draft.requestChanges': 'Request changes',
  'draft.reviewTitle': 'Review',
  'draft.fourEyes': 'You submitted this selection; under the four-eyes rule another approver must review it.',
  'draft.reviewSent': 'Review recorded.',
  'draft.published': 'Plan published',
  'draft.openPlan': 'Open the published plan',
  'draft.expired': 'This draft was left untouched for 30 days and has expired.',
  'draft.editorOnly': 'Only editors can choose clauses.',
  'draft.awaitingReviewNote': 'Waiting for an approver.',
  'draft.publishing': 'Publishing and issuing the QR code…',

  'review.heading': 'Review queue',
  'review.lead':
    'Drafts waiting for review. Under the four-eyes rule you cannot review a selection you submitted.',
  'review.empty': 'Nothing is waiting for review.',
  'review.submittedAt': 'Submitted',
  'review.open': 'Review',

  'plans.heading': 'Published plans',
  'plans.empty': 'No published plans yet.',
  'plans.code': 'Code',
  'plans.version': 'Version',
  'plans.created': 'Published',

  'plan.heading': 'Extended-warranty plan',
  'plan.code': 'Plan code',
  'plan.status': 'Status',
  'plan.publicUrl': 'Consumer page',
  'plan.qr': 'QR code',
  'plan.qrAlt': "The plan's QR code, pointing at the consumer page",
  'plan.downloads': 'Downloads',
  'plan.downloadPng': 'Download QR code (PNG)',
  'plan.downloadSvg': 'Download QR code (SVG)',
  'plan.downloadPdf': 'Download print label (PDF)',
  'plan.version': 'Current version',
  'plan.versionN': 'Version {n}',
  'plan.publishedAt': 'Published',
  'plan.submittedBy': 'Submitted by',
  'plan.approvedBy': 'Approved by',
  'plan.clauses': 'Clauses (frozen)',
  'plan.history': 'Version history',
  'plan.draftLink': 'Open the plan draft',

  'users.heading': 'Users',
  'users.lead': 'Administrators add editors and approvers for the company.',
  'users.name': 'Name',
  'users.email': 'Email',
  'users.roles': 'Roles',
  'users.add': 'Add user',
  'users.password': 'Initial password',
  'users.passwordHint': 'at least 10 characters; tell it to the user',
  'users.added': 'User added.',
  'users.adminOnly': 'Only administrators can add users.',

  'role.admin': 'Administrator',
  'role.editor': 'Editor',
  'role.approver': 'Approver',

  'category.smartphone': 'Smartphone',
  'category.laptop': 'Laptop',
  'category.tablet': 'Tablet',
  'category.tv': 'TV',
  'category.refrigerator': 'Refrigerator',
  'category.washing_machine': 'Washing machine',
  'category.air_conditioner': 'Air conditioner',
  'category.small_kitchen_appliance': 'Small kitchen appliance',

  'coverage.parts_labour': 'Parts and labour',
  'coverage.accidental_damage': 'Accidental damage',
  'coverage.liquid_damage': 'Liquid damage',
  'coverage.screen': 'Screen',
  'coverage.battery': 'Battery',
  'coverage.on_site_service': 'On-site service',
  'coverage.replacement': 'Replacement',
  'coverage.exclusions': 'Exclusions',
  'coverage.claim_procedure': 'Claim procedure',
  'coverage.cancellation_refund': 'Cancellation and refund',
  'coverage.general_terms': 'General terms',

  'stage.entry': 'Entry',
  'stage.matching': 'Clause matching',
  'stage.awaiting_selection': 'Choosing clauses',
  'stage.awaiting_review': 'Awaiting review',
  'stage.publishing': 'Publishing',
  'stage.published': 'Published',
  'stage.expired': 'Expired',

  'status.entered': 'Entered',
  'status.awaiting_selection': 'Choosing clauses',
  'status.awaiting_review': 'Awaiting review',
  'status.published': 'Published',
  'status.expired': 'Expired',
  'status.on_sale': 'On sale',
  'status.retired': 'Retired',
  'status.active': 'Active',
  'status.suspended': 'Suspended',

  'startRule.after_base_warranty': 'When the base warranty ends',
  'startRule.from_purchase': 'From the purchase date',
  'startRule.waiting_days': 'After a waiting period',
  'startRule.waiting_days_n': '{n} days after purchase',

  'reason.sameCategory': 'same category ({category})',
  'reason.samePriceBand': 'same retail price band',
  'reason.sameTerm': 'same term ({n} months)',
  'reason.coversSame': 'covers {n}% the same risks',
  'reason.coversWanted': 'covers wanted {type}',
  'reason.standardTerm': 'standard term: {type}',
  'reason.writtenFor': 'written for {categories}',
  'reason.textMatches': 'text matches the draft ({n}%)',
  'reason.usedBy': 'used by {n}% of similar plans',

  'msg.required': 'is required',
  'msg.blank': 'must not be blank',
  'msg.email': 'is not a valid email address',
  'msg.minLength': 'needs at least {n} characters',
  'msg.maxLength': 'takes at most {n} characters',
  'msg.integer': 'must be a whole number',
  'msg.money': 'enter an amount such as 2999.00 (at most two decimals)',
  'msg.date': 'enter a date (YYYY-MM-DD)',
  'msg.phone': 'is not a valid mobile phone number',
  'msg.oneOf': 'choose one from the list',
  'msg.minimum': 'must be at least {n}',
  'msg.maximum': 'must be at most {n}',
  'msg.alreadyRegistered': 'is already registered',
  'msg.usccLength': 'must be exactly 18 characters',
  'msg.usccCharacter': "character {n} ('{c}') is not allowed (digits and letters except I, O, S, V, Z)",
  'msg.usccCheck': 'check digit does not match',
  'msg.minFen': 'must be at least ¥1.00',
  'msg.belowRetail': "must be below the main product's retail price",
  'msg.modelExists': 'already exists for this brand',
  'msg.launchFuture': 'is more than a year in the future',
  'msg.badRegex': 'is not a valid regular expression',
  'msg.notYourProduct': 'is not one of your main products',
  'msg.needBenefit': 'must include at least one benefit (what gets repaired)',
  'msg.missingType': 'no clause of type “{type}” is selected',
  'msg.atLeastOne': 'choose at least one',
  'msg.sayWhatChanges': 'say what should change',
  'msg.fourEyes': 'four-eyes rule: the approver must not be the person who submitted the selection',
};

const DICTIONARIES = { 'zh-CN': zh, en };

function storedLang() {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return LANGS.includes(value) ? value : null;
  } catch {
    return null;
  }
}

let current = storedLang() ?? 'zh-CN';
const listeners = new Set();

export const getLang = () => current;
export const isZh = () => current === 'zh-CN';

/** Translates a key, filling `{name}` placeholders; an unknown key shows itself (easy to spot). */
export function t(key, args = {}) {
  const text = DICTIONARIES[current][key] ?? DICTIONARIES['zh-CN'][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in args ? String(args[name]) : whole));
}

export const categoryLabel = (category) => t(`category.${category}`);
export const coverageLabel = (type) => t(`coverage.${type}`);
export const stageLabel = (stage) => t(`stage.${stage}`);
export const statusLabel = (status) => t(`status.${status}`);
export const roleLabel = (role) => t(`role.${role}`);
export function startRuleLabel(rule) {
  if (rule?.kind === 'waiting_days' && rule.days) return t('startRule.waiting_days_n', { n: rule.days });
  return t(`startRule.${rule?.kind}`);
}

/** Picks the text for the current language from a Chinese/English pair. */
export const pick = (zhText, enText) => (isZh() ? zhText || enText : enText || zhText);

const listOf = (csv) =>
  csv
    .split(/,\s*/)
    .map(categoryLabel)
    .join(isZh() ? '、' : ', ');

/** The matching service explains its scores in English phrases; these patterns put them in words of the current language. */
const REASONS = [
  [/^same category \((\w+)\)$/, (m) => t('reason.sameCategory', { category: categoryLabel(m[1]) })],
  [/^same retail price band$/, () => t('reason.samePriceBand')],
  [/^same term \((\d+) months\)$/, (m) => t('reason.sameTerm', { n: m[1] })],
  [/^covers (\d+)% the same risks$/, (m) => t('reason.coversSame', { n: m[1] })],
  [/^covers wanted (\w+)$/, (m) => t('reason.coversWanted', { type: coverageLabel(m[1]) })],
  [/^standard term: (\w+)$/, (m) => t('reason.standardTerm', { type: coverageLabel(m[1]) })],
  [/^written for ([\w, ]+)$/, (m) => t('reason.writtenFor', { categories: listOf(m[1]) })],
  [/^text matches the draft \((\d+)%\)$/, (m) => t('reason.textMatches', { n: m[1] })],
  [/^used by (\d+)% of similar plans$/, (m) => t('reason.usedBy', { n: m[1] })],
];
export function reasonLabel(reason) {
  for (const [pattern, render] of REASONS) {
    const match = pattern.exec(reason);
    if (match) return render(match);
  }
  return reason;
}

/** Server validation messages are English; the common ones are put in words of the current language. */
const MESSAGES = [
  [/^must have required property/, () => t('msg.required')],
  [
    /^must NOT have fewer than 1 characters$|^must match pattern "\\S"$|^must not be blank$/,
    () => t('msg.blank'),
  ],
  [/^must NOT have fewer than (\d+) characters$/, (m) => t('msg.minLength', { n: m[1] })],
  [/^must NOT have more than (\d+) characters$/, (m) => t('msg.maxLength', { n: m[1] })],
  [/^must match format "email"$/, () => t('msg.email')],
  [/^must match format "date"$/, () => t('msg.date')],
  [/^must be integer$/, () => t('msg.integer')],
  [/^must be >= (\d+)$/, (m) => t('msg.minimum', { n: m[1] })],
  [/^must be <= (\d+)$/, (m) => t('msg.maximum', { n: m[1] })],
  [/^must be one of: /, () => t('msg.oneOf')],
  [/^must NOT have fewer than 1 items$/, () => t('msg.atLeastOne')],
  [/^is not a valid mobile phone number$/, () => t('msg.phone')],
  [/^is already registered$/, () => t('msg.alreadyRegistered')],
  [/^say what should change$/, () => t('msg.sayWhatChanges')],
  [/^must be exactly 18 characters$/, () => t('msg.usccLength')],
  [/^character (\d+) \('(.)'\) is not allowed/, (m) => t('msg.usccCharacter', { n: m[1], c: m[2] })],
  [/^check digit does not match$/, () => t('msg.usccCheck')],
  [/^must be at least 100 fen/, () => t('msg.minFen')],
  [/^must be below the main product's retail price$/, () => t('msg.belowRetail')],
  [/^already exists for this brand$/, () => t('msg.modelExists')],
  [/^is more than a year in the future$/, () => t('msg.launchFuture')],
  [/^is not a valid regular expression$/, () => t('msg.badRegex')],
  [/^is not one of your main products$/, () => t('msg.notYourProduct')],
  [/^must include at least one benefit/, () => t('msg.needBenefit')],
  [/^four-eyes rule/, () => t('msg.fourEyes')],
  [
    /^no clause of coverage type (\w+) is selected$/,
    (m) => t('msg.missingType', { type: coverageLabel(m[1]) }),
  ],
];
export function serverMessage(message) {
  for (const [pattern, render] of MESSAGES) {
    const match = pattern.exec(message);
    if (match) return render(match);
  }
  return message;
}

/** Re-applies every translated attribute under `root` for the current language. */
export function applyI18n(root = document) {
  for (const node of root.querySelectorAll('[data-i18n]')) {
    const args = node.dataset.i18nArgs ? JSON.parse(node.dataset.i18nArgs) : {};
    node.textContent = t(node.dataset.i18n, args);
  }
  for (const [attribute, data] of [
    ['placeholder', 'i18nPlaceholder'],
    ['aria-label', 'i18nAriaLabel'],
    ['title', 'i18nTitle'],
    ['alt', 'i18nAlt'],
  ]) {
    const selector = `[data-${data.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}]`;
    for (const node of root.querySelectorAll(selector)) node.setAttribute(attribute, t(node.dataset[data]));
  }
  for (const node of root.querySelectorAll('[data-zh], [data-en]')) {
    node.textContent = pick(node.dataset.zh ?? '', node.dataset.en ?? '');
  }
  for (const node of root.querySelectorAll('[data-reason]'))
    node.textContent = reasonLabel(node.dataset.reason);
  for (const node of root.querySelectorAll('[data-message]'))
    node.textContent = serverMessage(node.dataset.message);
  if (root === document) document.documentElement.lang = current;
}

export function setLang(lang) {
  if (!LANGS.includes(lang) || lang === current) return;
  current = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Private browsing may refuse storage; the switch still works for this page.
  }
  applyI18n(document);
  for (const listener of listeners) listener(lang);
}

export const toggleLang = () => setLang(isZh() ? 'en' : 'zh-CN');

/** For the rare text that is not expressible as attributes (e.g. formatted sentences built by a page). */
export function onLangChange(listener) {
  listeners.add(listener);
}

/**
 * Seeded clause library (patent module 6): bilingual extended-warranty clauses
 * tagged by coverage type and by the product categories they apply to. The
 * plan-creation workflow suggests these clauses for drafts; published plans
 * freeze a snapshot of the ones they carry. Keys are stable slugs: cases and
 * migrations refer to them, so never rename a key, only add new ones.
 */
import type { CoverageType, ProductCategory } from '../../domain/catalog.ts';
import { PRODUCT_CATEGORIES } from '../../domain/catalog.ts';

export interface ClauseSeed {
  /** Stable unique slug, e.g. 'parts-labour-smartphone-mainboard'. */
  key: string;
  coverageType: CoverageType;
  /** Product categories the clause applies to (non-empty; the full list for universal clauses). */
  categories: ProductCategory[];
  titleZh: string;
  titleEn: string;
  bodyZh: string;
  bodyEn: string;
}

const all = (): ProductCategory[] => [...PRODUCT_CATEGORIES];
const portable = (): ProductCategory[] => ['smartphone', 'laptop', 'tablet'];
const largeAppliances = (): ProductCategory[] => ['tv', 'refrigerator', 'washing_machine', 'air_conditioner'];

const PARTS_LABOUR: ClauseSeed[] = [
  {
    key: 'parts-labour-defects-general',
    coverageType: 'parts_labour',
    categories: all(),
    titleZh: '材料及工艺缺陷保修',
    titleEn: 'Defects in materials and workmanship',
    bodyZh:
      '服务期内，产品在正常使用条件下因材料或制造工艺缺陷出现功能性故障的，我方免费提供维修所需的零部件及维修人工。维修以恢复产品出厂时的正常功能为标准。',
    bodyEn:
      'During the Coverage Period, if the product suffers a functional failure under normal use caused by a defect in materials or workmanship, we will provide the parts and labour needed for the repair free of charge. Repairs aim to restore the normal functionality the product had when it left the factory.',
  },
  {
    key: 'parts-labour-genuine-parts',
    coverageType: 'parts_labour',
    categories: all(),
    titleZh: '原厂配件与旧件归属',
    titleEn: 'Genuine parts and ownership of replaced parts',
    bodyZh:
      '维修所用零部件均为原厂全新件，或性能与全新件相当的原厂翻新件。被更换下来的故障零部件归我方所有，您无需为此支付任何费用。',
    bodyEn:
      'Parts used in repairs are genuine new parts or genuine refurbished parts equivalent to new in performance. Faulty parts that are replaced become our property, at no cost to you.',
  },
  {
    key: 'parts-labour-free-diagnosis',
    coverageType: 'parts_labour',
    categories: all(),
    titleZh: '免费故障检测',
    titleEn: 'Free fault diagnosis',
    bodyZh:
      '服务期内报修的，我方免费对产品进行故障检测，不收取检测费。检测结论及故障原因将以纸质或电子服务单的形式告知您。',
    bodyEn:
      'When you report a fault during the Coverage Period, we inspect the product free of charge and make no diagnostic charge. The findings and the cause of the fault are given to you on a paper or electronic service report.',
  },
  {
    key: 'parts-labour-repeat-fault-warranty',
    coverageType: 'parts_labour',
    categories: all(),
    titleZh: '维修后同一故障复修',
    titleEn: 'Re-repair of the same fault',
    bodyZh:
      '经我方维修的部位自维修完成之日起90日内再次出现相同故障的，我方免费重新维修，且该次维修不计入本服务的维修次数或赔付金额。即使服务期已届满，该90日维修保证仍然有效。',
    bodyEn:
      'If a part we have repaired develops the same fault within 90 days of the repair being completed, we will repair it again free of charge, and that repair does not count towards the number of repairs or the amount paid under this Plan. This 90-day repair guarantee remains valid even after the Coverage Period has ended.',
  },
  {
    key: 'parts-labour-firmware-restore',
    coverageType: 'parts_labour',
    categories: ['smartphone', 'laptop', 'tablet', 'tv'],
    titleZh: '系统软件故障恢复',
    titleEn: 'Restoring faulty system software',
    bodyZh:
      '产品预装的原厂系统软件出现无法开机、反复重启等故障的，我方可通过刷写原厂固件或恢复出厂系统进行修复。恢复过程可能清除设备中的全部数据，请您事先自行备份。',
    bodyEn:
      "If the manufacturer's pre-installed system software fails, for example the product will not boot or restarts repeatedly, we may fix it by re-flashing the original firmware or restoring the factory system. Restoration may erase all data on the device, so please back up your data beforehand.",
  },
  {
    key: 'parts-labour-smartphone-mainboard',
    coverageType: 'parts_labour',
    categories: ['smartphone'],
    titleZh: '手机主板及通信模块',
    titleEn: 'Smartphone mainboard and radio modules',
    bodyZh:
      '手机主板、处理器、存储芯片、基带及射频模块、WLAN与蓝牙模块因非人为原因出现故障的，属于保修范围。因主板故障需更换主板的，我方不承担设备内数据的恢复义务。',
    bodyEn:
      "Failures not caused by the user in the smartphone's mainboard, processor, memory chips, baseband and radio-frequency modules, or WLAN and Bluetooth modules are covered. Where the mainboard must be replaced, we are not obliged to recover the data stored on the device.",
  },
  {
    key: 'parts-labour-smartphone-peripherals',
    coverageType: 'parts_labour',
    categories: ['smartphone'],
    titleZh: '手机摄像头、扬声器及接口',
    titleEn: 'Smartphone cameras, speakers and ports',
    bodyZh:
      '手机前后摄像头模组、听筒、扬声器、麦克风、振动马达、充电接口、侧键及指纹识别模组出现功能故障的，我方免费维修或更换相应模组。摄像头外部镜片的划痕不在此列。',
    bodyEn:
      "Functional failures of the smartphone's front and rear camera modules, earpiece, loudspeaker, microphones, vibration motor, charging port, side buttons and fingerprint module are repaired, or the module replaced, free of charge. Scratches on the external camera lens covers are not included.",
  },
  {
    key: 'parts-labour-laptop-mainboard',
    coverageType: 'parts_labour',
    categories: ['laptop'],
    titleZh: '笔记本主板、内存及硬盘',
    titleEn: 'Laptop mainboard, memory and storage',
    bodyZh:
      '笔记本电脑主板、处理器、出厂内存、出厂固态硬盘、显卡及各类接口出现硬件故障的，属于保修范围。更换存储设备时不恢复原有数据，故障存储设备归我方所有；如需保留故障硬盘，请在报修时提出，并按公示价格支付该部件费用。',
    bodyEn:
      "Hardware failures of the laptop's mainboard, processor, factory-fitted memory, factory-fitted solid-state drive, graphics and ports are covered. When a storage device is replaced, its data is not recovered and the faulty device becomes our property; if you wish to keep the faulty drive, say so when you report the fault and pay the published price of that part.",
  },
  {
    key: 'parts-labour-laptop-hinge',
    coverageType: 'parts_labour',
    categories: ['laptop'],
    titleZh: '笔记本转轴及外壳',
    titleEn: 'Laptop hinges and chassis',
    bodyZh:
      '在正常开合使用下出现转轴松动、断裂，或因转轴故障导致屏幕后盖、掌托开裂的，我方免费维修或更换转轴及相关外壳部件。因跌落、挤压等外力造成的损坏不适用本条。',
    bodyEn:
      'If a hinge becomes loose or breaks under normal opening and closing, or a hinge failure causes the display back cover or palm rest to crack, we will repair or replace the hinge and the affected chassis parts free of charge. This clause does not apply to damage caused by external force such as drops or crushing.',
  },
  {
    key: 'parts-labour-laptop-keyboard-touchpad',
    coverageType: 'parts_labour',
    categories: ['laptop'],
    titleZh: '笔记本键盘及触控板',
    titleEn: 'Laptop keyboard and touchpad',
    bodyZh:
      '键盘按键失灵、连击、背光不亮，以及触控板无响应、按压失效等故障属于保修范围。键帽因正常使用而磨损发亮、字符磨损的，不属于故障。',
    bodyEn:
      'Keys that stop working or register repeated presses, keyboard backlight failure, and a touchpad that stops responding or whose click mechanism fails are covered. Keycaps that become shiny or have worn legends through normal use are not considered faulty.',
  },
  {
    key: 'parts-labour-laptop-cooling',
    coverageType: 'parts_labour',
    categories: ['laptop'],
    titleZh: '笔记本散热系统',
    titleEn: 'Laptop cooling system',
    bodyZh:
      '散热风扇停转、异响，或热管失效导致设备异常过热、降频的，我方免费更换散热模组。服务期内每12个月可申请一次免费的散热系统除尘清洁。',
    bodyEn:
      'If the cooling fan stops or makes abnormal noise, or a failed heat pipe makes the device overheat or throttle abnormally, we will replace the cooling module free of charge. You may also request one free dust cleaning of the cooling system in every 12 months of the Coverage Period.',
  },
  {
    key: 'parts-labour-tablet-hardware',
    coverageType: 'parts_labour',
    categories: ['tablet'],
    titleZh: '平板主板及功能部件',
    titleEn: 'Tablet mainboard and components',
    bodyZh:
      '平板电脑主板、摄像头、扬声器、麦克风、充电接口、按键及各类传感器出现功能故障的，属于保修范围。维修完成后，我方将进行全功能检测，确认各项功能正常后方交还设备。',
    bodyEn:
      "Functional failures of the tablet's mainboard, cameras, speakers, microphones, charging port, buttons and sensors are covered. After the repair we run a full functional test and return the device only when every function works normally.",
  },
  {
    key: 'parts-labour-tablet-bundled-accessories',
    coverageType: 'parts_labour',
    categories: ['tablet'],
    titleZh: '平板随附手写笔与键盘',
    titleEn: 'Bundled stylus and keyboard cover',
    bodyZh:
      '与平板电脑同一包装内随附的原厂手写笔、键盘保护套，出现无法配对、无法充电或按键失灵等非人为故障的，一并享受本服务。单独购买的配件及配件丢失不在保修范围内。',
    bodyEn:
      'An original stylus or keyboard cover supplied in the same box as the tablet is also covered if it develops a fault not caused by the user, such as failing to pair, failing to charge or keys not working. Separately purchased accessories and lost accessories are not covered.',
  },
  {
    key: 'parts-labour-tv-boards',
    coverageType: 'parts_labour',
    categories: ['tv'],
    titleZh: '电视主板、电源板及逻辑板',
    titleEn: 'TV mainboard, power and T-con boards',
    bodyZh:
      '电视机主板、电源板、逻辑板（T-CON板）、高频头及内置扬声器出现故障，导致无法开机、无图像、无声音或频繁死机的，我方免费维修或更换相应部件。',
    bodyEn:
      "If the TV's mainboard, power board, timing-controller (T-con) board, tuner or built-in speakers fail so that the TV will not switch on, shows no picture, has no sound or freezes frequently, we will repair or replace the parts concerned free of charge.",
  },
  {
    key: 'parts-labour-tv-backlight',
    coverageType: 'parts_labour',
    categories: ['tv'],
    titleZh: '电视背光系统',
    titleEn: 'TV backlight system',
    bodyZh:
      '液晶电视背光灯条或背光驱动电路出现故障，导致有声无图、画面局部发暗或亮度明显不均的，属于保修范围，我方将更换背光组件。',
    bodyEn:
      "Failures of an LCD TV's backlight strips or backlight driver circuit that cause sound with no picture, dark areas in the picture or clearly uneven brightness are covered, and we will replace the backlight assembly.",
  },
  {
    key: 'parts-labour-tv-smart-modules',
    coverageType: 'parts_labour',
    categories: ['tv'],
    titleZh: '电视无线及智能模块',
    titleEn: 'TV wireless and smart modules',
    bodyZh:
      '电视内置WLAN模块、蓝牙模块、语音遥控接收模块及摄像头（如有）出现硬件故障的，属于保修范围。因网络环境、第三方应用或片源导致的播放问题不属于产品故障。',
    bodyEn:
      "Hardware failures of the TV's built-in WLAN module, Bluetooth module, voice-remote receiver and camera (where fitted) are covered. Playback problems caused by the network environment, third-party apps or the content source are not product faults.",
  },
  {
    key: 'parts-labour-refrigerator-sealed-system',
    coverageType: 'parts_labour',
    categories: ['refrigerator'],
    titleZh: '冰箱压缩机及密封制冷系统',
    titleEn: 'Refrigerator compressor and sealed system',
    bodyZh:
      '冰箱压缩机、冷凝器、蒸发器、毛细管、干燥过滤器及连接管路等密封制冷系统出现故障的，我方免费维修或更换，并承担维修所需的制冷剂充注、抽真空及焊接费用。',
    bodyEn:
      "Failures of the refrigerator's sealed refrigeration system, including the compressor, condenser, evaporator, capillary tube, filter drier and connecting tubing, are repaired or the parts replaced free of charge, including the cost of the refrigerant recharge, evacuation and brazing the repair requires.",
  },
  {
    key: 'parts-labour-refrigerator-controls',
    coverageType: 'parts_labour',
    categories: ['refrigerator'],
    titleZh: '冰箱温控及化霜系统',
    titleEn: 'Refrigerator controls and defrost system',
    bodyZh:
      '冰箱主控板、显示板、温度传感器、风扇电机、化霜加热器、风门及门开关出现故障，导致不制冷、制冷不足、结霜异常或温度失控的，属于保修范围。',
    bodyEn:
      "Failures of the refrigerator's main control board, display board, temperature sensors, fan motors, defrost heater, air damper or door switches that cause no cooling, insufficient cooling, abnormal frost build-up or uncontrolled temperatures are covered.",
  },
  {
    key: 'parts-labour-refrigerator-ice-water',
    coverageType: 'parts_labour',
    categories: ['refrigerator'],
    titleZh: '制冰机及饮水分配器',
    titleEn: 'Ice maker and water dispenser',
    bodyZh:
      '配有制冰机或饮水分配器的冰箱，其制冰组件、进水阀、水泵及分配器开关出现故障的，属于保修范围。滤水器滤芯属于耗材，需由您定期自费更换。',
    bodyEn:
      'On refrigerators with an ice maker or water dispenser, failures of the ice-making assembly, water inlet valve, pump and dispenser switches are covered. Water filter cartridges are consumables and must be replaced regularly at your own cost.',
  },
  {
    key: 'parts-labour-refrigerator-food-loss',
    coverageType: 'parts_labour',
    categories: ['refrigerator'],
    titleZh: '冰箱故障食品损失补偿',
    titleEn: 'Food loss after a refrigerator breakdown',
    bodyZh:
      '因保修范围内的故障导致冰箱停止制冷，并经我方技术人员现场确认的，我方对冷藏、冷冻食品的损失给予补偿，服务期内累计不超过人民币500元。申请补偿时需提供损失食品清单，必要时提供照片。',
    bodyEn:
      'If a covered fault stops the refrigerator from cooling and our technician confirms this on site, we will compensate you for spoiled chilled and frozen food, up to a total of RMB 500 over the Coverage Period. A list of the spoiled food, and photos where required, must accompany the request.',
  },
  {
    key: 'parts-labour-washing-machine-motor',
    coverageType: 'parts_labour',
    categories: ['washing_machine'],
    titleZh: '洗衣机电机及变频板',
    titleEn: 'Washing machine motor and inverter board',
    bodyZh:
      '洗衣机驱动电机（含直驱变频电机）、变频驱动板、电脑控制板及程序控制器出现故障，导致内筒不转、不脱水或程序无法运行的，属于保修范围。',
    bodyEn:
      "Failures of the washing machine's drive motor (including direct-drive inverter motors), inverter drive board, electronic control board or programme controller that stop the drum turning or spinning, or prevent programmes from running, are covered.",
  },
  {
    key: 'parts-labour-washing-machine-drum',
    coverageType: 'parts_labour',
    categories: ['washing_machine'],
    titleZh: '洗衣机滚筒轴承及减震系统',
    titleEn: 'Drum bearings and suspension',
    bodyZh:
      '洗衣机内筒轴承、油封、三脚架、减震器及吊杆因磨损或缺陷出现异响、漏水或剧烈振动的，我方免费维修或更换。因衣物中夹带硬币、钥匙等异物造成的损坏除外。',
    bodyEn:
      "If the washing machine's drum bearings, oil seals, drum spider, shock absorbers or suspension rods wear out or are defective, causing abnormal noise, leaks or violent vibration, we will repair or replace them free of charge. Damage caused by foreign objects such as coins or keys left in clothing is excluded.",
  },
  {
    key: 'parts-labour-washing-machine-water-system',
    coverageType: 'parts_labour',
    categories: ['washing_machine'],
    titleZh: '洗衣机进排水及门锁',
    titleEn: 'Water inlet, drain and door lock',
    bodyZh:
      '进水阀、排水泵、水位传感器、门锁开关、洗涤加热管及烘干组件（如有）出现故障的，属于保修范围。因水压不足、排水管安装不当或过滤器堵塞引起的进排水问题除外。',
    bodyEn:
      'Failures of the inlet valve, drain pump, water level sensor, door lock switch, wash heater and drying assembly (where fitted) are covered. Filling and draining problems caused by low water pressure, an incorrectly installed drain hose or a blocked filter are excluded.',
  },
  {
    key: 'parts-labour-air-conditioner-compressor',
    coverageType: 'parts_labour',
    categories: ['air_conditioner'],
    titleZh: '空调压缩机及制冷系统',
    titleEn: 'Air conditioner compressor and refrigerant circuit',
    bodyZh:
      '空调压缩机、四通阀、电子膨胀阀、冷凝器、蒸发器及连接管路出现故障或泄漏的，我方免费维修或更换。因修复泄漏需补充的冷媒费用由我方承担；未发生泄漏的加氟不属于保修范围。',
    bodyEn:
      "Failures or leaks of the air conditioner's compressor, four-way valve, electronic expansion valve, condenser, evaporator and connecting pipework are repaired or the parts replaced free of charge. Refrigerant needed after repairing a leak is provided at our cost; topping up refrigerant when there is no leak is not covered.",
  },
  {
    key: 'parts-labour-air-conditioner-units',
    coverageType: 'parts_labour',
    categories: ['air_conditioner'],
    titleZh: '空调内外机电控及风机',
    titleEn: 'Indoor and outdoor unit electronics and fans',
    bodyZh:
      '室内机及室外机的主控板、变频模块、风扇电机、导风板电机、温度传感器及遥控接收板出现故障的，属于保修范围。维修后我方将测试制冷、制热及除湿模式，确认运行参数正常。',
    bodyEn:
      'Failures of the main control boards, inverter modules, fan motors, louvre motors, temperature sensors and remote-control receiver boards of the indoor and outdoor units are covered. After the repair we test the cooling, heating and dehumidifying modes to confirm the unit runs within normal parameters.',
  },
  {
    key: 'parts-labour-kitchen-heating',
    coverageType: 'parts_labour',
    categories: ['small_kitchen_appliance'],
    titleZh: '小厨电加热元件及温控',
    titleEn: 'Heating elements and thermostats',
    bodyZh:
      '电饭煲、电水壶、电烤箱、空气炸锅等产品的发热盘、发热管、温控器、温度传感器及温度保险丝出现故障，导致不加热、加热不停止或温度失控的，我方免费维修或更换。',
    bodyEn:
      'If the heating plate, heating element, thermostat, temperature sensor or thermal fuse of a product such as a rice cooker, kettle, electric oven or air fryer fails so that it will not heat, will not stop heating or loses temperature control, we will repair or replace it free of charge.',
  },
  {
    key: 'parts-labour-kitchen-motor-controls',
    coverageType: 'parts_labour',
    categories: ['small_kitchen_appliance'],
    titleZh: '小厨电电机及控制板',
    titleEn: 'Motors and control boards',
    bodyZh:
      '破壁机、料理机、榨汁机、豆浆机等产品的电机、电源板、控制板及按键面板出现故障的，属于保修范围。因连续超时运转或超量投料导致电机烧毁的除外。',
    bodyEn:
      'Failures of the motor, power board, control board and button panel of products such as high-speed blenders, food processors, juicers and soy milk makers are covered. Motors burnt out by running continuously beyond the permitted time or by overfilling are excluded.',
  },
  {
    key: 'parts-labour-kitchen-pressure-safety',
    coverageType: 'parts_labour',
    categories: ['small_kitchen_appliance'],
    titleZh: '电压力锅安全部件',
    titleEn: 'Safety parts of electric pressure cookers',
    bodyZh:
      '电压力锅的限压阀、浮子阀、压力开关及开合盖锁止机构出现故障的，我方优先安排维修或更换，并在维修后进行压力安全检测。出现漏气或锁盖异常时，请立即停止使用并报修。',
    bodyEn:
      "Faults in an electric pressure cooker's pressure-limiting valve, float valve, pressure switch or lid-locking mechanism are repaired or replaced with priority, and a pressure safety test is carried out after the repair. If steam leaks or the lid does not lock properly, stop using the product immediately and report the fault.",
  },
];

const ACCIDENTAL_DAMAGE: ClauseSeed[] = [
  {
    key: 'accidental-damage-general',
    coverageType: 'accidental_damage',
    categories: ['smartphone', 'laptop', 'tablet', 'tv'],
    titleZh: '意外损坏保障',
    titleEn: 'Accidental damage cover',
    bodyZh:
      '服务期内，产品在日常使用中因意外跌落、碰撞、挤压等突发外力导致功能损坏的，我方按本条款提供维修服务。意外损坏是指因非故意、不可预见的突发事件造成的损坏。',
    bodyEn:
      "During the Coverage Period, if the product's functions are damaged by a sudden external force in everyday use, such as an accidental drop, knock or crushing, we will repair it under this clause. Accidental damage means damage caused by a sudden, unforeseen and unintentional event.",
  },
  {
    key: 'accidental-damage-claim-limit',
    coverageType: 'accidental_damage',
    categories: ['smartphone', 'laptop', 'tablet', 'tv'],
    titleZh: '意外损坏报修次数',
    titleEn: 'Number of accidental damage claims',
    bodyZh:
      '意外损坏保障每12个月最多可报修2次，未使用的次数不累计至下一周期。单次维修费用超过产品零售价格的，按换新条款处理。',
    bodyEn:
      'Accidental damage cover allows up to 2 claims in every 12 months; unused claims do not carry over to the next period. Where the cost of a single repair would exceed the retail price of the product, the replacement clauses apply.',
  },
  {
    key: 'accidental-damage-service-fee',
    coverageType: 'accidental_damage',
    categories: ['smartphone', 'laptop', 'tablet', 'tv'],
    titleZh: '意外损坏服务费',
    titleEn: 'Service fee for accidental damage',
    bodyZh:
      '每次意外损坏维修，您需按电子延保凭证载明的金额支付服务费，其余维修费用由我方承担。凭证未载明服务费的，视为无需支付。',
    bodyEn:
      'For each accidental damage repair you pay the service fee stated on your electronic warranty certificate, and we bear the rest of the repair cost. If the certificate states no service fee, none is payable.',
  },
  {
    key: 'accidental-damage-assessment',
    coverageType: 'accidental_damage',
    categories: all(),
    titleZh: '意外损坏的认定',
    titleEn: 'Assessing accidental damage',
    bodyZh:
      '是否构成意外损坏，以我方授权服务网点的检测结论为准，您可以要求我方出具书面检测说明。故意损坏、产品遗失以及仅影响外观而不影响功能的损伤，均不属于意外损坏。',
    bodyEn:
      'Whether damage counts as accidental damage is decided by the inspection findings of our authorised service centre, and you may ask us for a written inspection report. Deliberate damage, loss of the product and damage that affects only its appearance and not its function are not accidental damage.',
  },
  {
    key: 'accidental-damage-power-surge',
    coverageType: 'accidental_damage',
    categories: all(),
    titleZh: '电涌及雷击损坏',
    titleEn: 'Power surge and lightning damage',
    bodyZh:
      '因公共电网突发电涌或感应雷击导致产品电路损坏的，视为意外损坏，我方免费维修。报修时，我方可要求您提供同一时段供电异常的说明或相关证明。',
    bodyEn:
      "Damage to the product's circuits caused by a sudden surge in the public power grid or by induced lightning is treated as accidental damage and repaired free of charge. When you claim, we may ask for a description or evidence of the power disturbance at that time.",
  },
  {
    key: 'accidental-damage-smartphone-body',
    coverageType: 'accidental_damage',
    categories: ['smartphone'],
    titleZh: '手机后盖及中框意外损坏',
    titleEn: 'Phone back glass and frame damage',
    bodyZh:
      '手机因意外跌落造成玻璃后盖破裂、中框变形或按键脱落，影响正常使用或防护性能的，属于意外损坏保障范围。仅有轻微划痕、掉漆而不影响功能的除外。',
    bodyEn:
      "Cracked back glass, a bent frame or detached buttons resulting from an accidental drop that impair normal use or the phone's protection are covered by accidental damage cover. Minor scratches or chipped paint that do not affect function are excluded.",
  },
  {
    key: 'accidental-damage-laptop',
    coverageType: 'accidental_damage',
    categories: ['laptop'],
    titleZh: '笔记本跌落及挤压损坏',
    titleEn: 'Laptop drops and crushing',
    bodyZh:
      '笔记本电脑因意外跌落、磕碰或在背包中受压，造成外壳破裂、接口损坏、屏幕损坏或无法开机的，属于意外损坏保障范围。维修可能涉及更换顶盖、底壳或主板等部件。',
    bodyEn:
      'Damage to a laptop from an accidental drop, a knock or pressure inside a bag that leaves it with a cracked chassis, damaged ports, a damaged display or unable to power on is covered by accidental damage cover. The repair may involve replacing the top cover, bottom case or mainboard.',
  },
  {
    key: 'accidental-damage-tablet',
    coverageType: 'accidental_damage',
    categories: ['tablet'],
    titleZh: '平板跌落及弯折损坏',
    titleEn: 'Tablet drops and bending',
    bodyZh:
      '平板电脑因意外跌落或受压导致机身弯折、外壳开裂或接口损坏的，属于意外损坏保障范围。机身弯折严重、无法单独维修的，我方可按换新条款以同型号整机更换。',
    bodyEn:
      'If a tablet is bent, its casing cracks or its ports are damaged because of an accidental drop or pressure, the damage is covered by accidental damage cover. If the body is too badly bent to be repaired, we may replace the whole unit with the same model under the replacement clauses.',
  },
  {
    key: 'accidental-damage-tv',
    coverageType: 'accidental_damage',
    categories: ['tv'],
    titleZh: '电视意外撞击损坏',
    titleEn: 'Accidental impact damage to TVs',
    bodyZh:
      '电视在家庭正常使用环境中因物品意外撞击，或被儿童、宠物碰倒导致屏幕或机身损坏的，属于意外损坏保障范围。搬家运输途中及自行拆装过程中造成的损坏除外。',
    bodyEn:
      'Damage to the TV screen or body caused in a normal home environment by an object accidentally striking it, or by a child or pet knocking it over, is covered by accidental damage cover. Damage caused while moving house or while you are taking down or installing the TV yourself is excluded.',
  },
  {
    key: 'accidental-damage-appliance-breakables',
    coverageType: 'accidental_damage',
    categories: ['refrigerator', 'washing_machine'],
    titleZh: '冰箱洗衣机易碎部件意外破损',
    titleEn: 'Breakable parts of refrigerators and washers',
    bodyZh:
      '冰箱玻璃搁架、果蔬盒、门体搁架，以及洗衣机玻璃视窗、上盖等部件在正常使用中意外破损的，服务期内可免费更换，每个部件限更换一次。',
    bodyEn:
      'Glass shelves, crisper drawers and door shelves of refrigerators, and the door glass and lid of washing machines, that break accidentally in normal use can be replaced free of charge during the Coverage Period, once for each part.',
  },
  {
    key: 'accidental-damage-kitchen-breakage',
    coverageType: 'accidental_damage',
    categories: ['small_kitchen_appliance'],
    titleZh: '小厨电意外跌落破损',
    titleEn: 'Accidental breakage of kitchen appliances',
    bodyZh:
      '小厨电主机或随机附带的搅拌杯、内胆、玻璃壶等部件因意外跌落破损的，服务期内可免费更换一次。因干烧、冷热骤变等使用不当导致的破裂不属于意外损坏。',
    bodyEn:
      'If the main unit of a small kitchen appliance, or a jug, inner pot, glass carafe or similar part supplied with it, breaks in an accidental drop, it can be replaced free of charge once during the Coverage Period. Cracking caused by misuse, such as heating while empty or sudden temperature changes, is not accidental damage.',
  },
];

const LIQUID_DAMAGE: ClauseSeed[] = [
  {
    key: 'liquid-damage-general',
    coverageType: 'liquid_damage',
    categories: portable(),
    titleZh: '液体泼溅及浸水保障',
    titleEn: 'Liquid spills and immersion',
    bodyZh:
      '服务期内，产品因意外泼溅饮料、淋雨或意外落水等原因进液导致功能故障的，我方免费维修。液体损坏每12个月限报修1次，维修后须经全功能检测合格方可交还。',
    bodyEn:
      'During the Coverage Period, if liquid gets into the product through an accidentally spilled drink, rain or an accidental fall into water and it stops working properly, we will repair it free of charge. Liquid damage is limited to 1 claim in every 12 months, and the product is returned only after passing a full functional test.',
  },
  {
    key: 'liquid-damage-smartphone',
    coverageType: 'liquid_damage',
    categories: ['smartphone'],
    titleZh: '手机进水不受防水等级限制',
    titleEn: 'Phone water damage regardless of IP rating',
    bodyZh:
      '无论手机标称的防水防尘等级如何，因意外浸水导致的主板腐蚀、无法开机、听筒或扬声器无声等故障均属于本保障范围。防水性能会随使用时间下降，防水密封件老化不视为产品缺陷。',
    bodyEn:
      "Whatever the phone's rated water and dust resistance, faults caused by accidental immersion, such as mainboard corrosion, failure to power on or a silent earpiece or speaker, are covered. Water resistance decreases over time, and the ageing of waterproof seals is not treated as a product defect.",
  },
  {
    key: 'liquid-damage-laptop-spill',
    coverageType: 'liquid_damage',
    categories: ['laptop'],
    titleZh: '笔记本键盘泼溅',
    titleEn: 'Laptop keyboard spills',
    bodyZh:
      '液体泼洒至笔记本键盘导致键盘失灵、主板短路或腐蚀的，我方可更换键盘、C面组件或主板。发生泼溅后请立即关机并拔下电源适配器，切勿使用吹风机加热烘干。',
    bodyEn:
      'If liquid spilled onto the laptop keyboard makes keys fail or causes the mainboard to short-circuit or corrode, we may replace the keyboard, top case assembly or mainboard. After a spill, shut the laptop down and unplug the power adapter immediately, and do not try to dry it with a hair dryer.',
  },
  {
    key: 'liquid-damage-tablet',
    coverageType: 'liquid_damage',
    categories: ['tablet'],
    titleZh: '平板液体损坏',
    titleEn: 'Tablet liquid damage',
    bodyZh:
      '平板电脑因进液导致屏幕显示异常、触控失灵或无法充电的，属于液体损坏保障范围。液体损坏涉及主板的，我方可能以同型号整机更换代替维修。',
    bodyEn:
      'If liquid getting into a tablet causes display faults, touch failure or an inability to charge, the damage is covered by liquid damage cover. Where the liquid has damaged the mainboard, we may replace the whole unit with the same model instead of repairing it.',
  },
  {
    key: 'liquid-damage-tv',
    coverageType: 'liquid_damage',
    categories: ['tv'],
    titleZh: '电视液体泼溅',
    titleEn: 'Liquid spilled on a TV',
    bodyZh:
      '饮料、花瓶中的水等液体意外泼溅并经散热孔进入电视内部，导致电路板或屏幕故障的，属于液体损坏保障范围。长期放置于潮湿环境或因墙体渗水导致的受潮损坏除外。',
    bodyEn:
      'If a drink, water from a vase or other liquid is accidentally spilled and enters the TV through its ventilation openings, causing a circuit board or screen fault, the damage is covered by liquid damage cover. Moisture damage from long-term placement in a damp environment or from water seeping through walls is excluded.',
  },
  {
    key: 'liquid-damage-kitchen-overflow',
    coverageType: 'liquid_damage',
    categories: ['small_kitchen_appliance'],
    titleZh: '小厨电溢水进液',
    titleEn: 'Boil-over into kitchen appliances',
    bodyZh:
      '电饭煲、豆浆机、破壁机等产品在烹饪过程中因汤水溢出进入底座，导致电路板或开关损坏的，属于液体损坏保障范围。将主机底座浸入水中清洗造成的损坏除外。',
    bodyEn:
      'If liquid boils over during cooking in a rice cooker, soy milk maker, blender or similar product and runs into the base, damaging the circuit board or switches, the damage is covered by liquid damage cover. Damage caused by immersing the base unit in water to clean it is excluded.',
  },
  {
    key: 'liquid-damage-handling',
    coverageType: 'liquid_damage',
    categories: ['smartphone', 'laptop', 'tablet', 'tv', 'small_kitchen_appliance'],
    titleZh: '进液后的处置要求',
    titleEn: 'What to do after liquid exposure',
    bodyZh:
      '产品进液后，您应立即关机、断电并停止充电，并在7日内报修。因进液后继续通电使用导致损坏扩大的，扩大部分不属于保障范围。',
    bodyEn:
      'After liquid gets into the product, switch it off, disconnect the power, stop charging and report the fault within 7 days. Any further damage caused by continuing to power or use the product after the liquid exposure is not covered.',
  },
  {
    key: 'liquid-damage-corrosive-excluded',
    coverageType: 'liquid_damage',
    categories: ['smartphone', 'laptop', 'tablet', 'tv', 'small_kitchen_appliance'],
    titleZh: '液体损坏的除外情形',
    titleEn: 'Liquid damage exclusions',
    bodyZh:
      '因接触腐蚀性化学品、在桑拿房等高温蒸汽环境中使用、故意浸水，或产品长期处于潮湿环境导致内部锈蚀的，不属于液体损坏保障范围。',
    bodyEn:
      'Damage caused by contact with corrosive chemicals, use in hot steam environments such as saunas, deliberate immersion, or internal rust from keeping the product in a damp environment for a long time is not covered by liquid damage cover.',
  },
];

const SCREEN: ClauseSeed[] = [
  {
    key: 'screen-smartphone-crack',
    coverageType: 'screen',
    categories: ['smartphone'],
    titleZh: '手机屏幕碎裂维修',
    titleEn: 'Cracked phone screen repair',
    bodyZh:
      '服务期内，手机因意外跌落、碰撞导致屏幕玻璃碎裂、显示异常或触控失灵的，我方免费更换原厂屏幕总成，每12个月限1次。未使用的次数不累计，亦不可折现。',
    bodyEn:
      "During the Coverage Period, if the phone's screen glass cracks, or the display or touch stops working properly, because of an accidental drop or knock, we will replace the screen assembly with a genuine one free of charge, limited to one repair in every 12 months. Unused repairs do not carry over and cannot be exchanged for cash.",
  },
  {
    key: 'screen-tablet-crack',
    coverageType: 'screen',
    categories: ['tablet'],
    titleZh: '平板屏幕碎裂维修',
    titleEn: 'Cracked tablet screen repair',
    bodyZh:
      '平板电脑屏幕意外碎裂的，服务期内可免费更换原厂屏幕一次。屏幕碎裂同时伴有机身严重变形的，我方可按整机更换处理，并视为已使用本次屏幕维修。',
    bodyEn:
      'If a tablet screen cracks accidentally, it can be replaced once free of charge with a genuine screen during the Coverage Period. Where the crack comes with severe deformation of the body, we may replace the whole unit instead, which counts as using this screen repair.',
  },
  {
    key: 'screen-display-defects',
    coverageType: 'screen',
    categories: portable(),
    titleZh: '屏幕显示缺陷',
    titleEn: 'Display defects',
    bodyZh:
      '非人为原因导致的屏幕线条、色斑、漏光、闪屏，以及亮点、坏点数量超出出厂标准等显示缺陷，均可免费维修，不限次数，且不占用屏幕碎裂的维修次数。',
    bodyEn:
      'Display defects not caused by the user, such as lines, colour blotches, light bleed, flickering, or more bright or dead pixels than the factory standard allows, are repaired free of charge with no limit on the number of repairs, and do not use up the cracked-screen allowance.',
  },
  {
    key: 'screen-laptop-display',
    coverageType: 'screen',
    categories: ['laptop'],
    titleZh: '笔记本屏幕及屏线',
    titleEn: 'Laptop display panel and cable',
    bodyZh:
      '笔记本电脑屏幕面板因意外受压、碰撞破裂，或屏线、摄像头排线损坏导致黑屏、花屏的，属于屏幕保障范围，服务期内屏幕破裂维修限1次。合盖时键盘上留有异物造成的屏幕压伤同样适用本条。',
    bodyEn:
      "If the laptop's display panel cracks from accidental pressure or a knock, or a damaged display or camera cable causes a blank or garbled screen, it is covered by screen cover; repair of a cracked display is limited to once during the Coverage Period. This also applies to pressure damage caused by an object left on the keyboard when the lid was closed.",
  },
  {
    key: 'screen-tv-panel',
    coverageType: 'screen',
    categories: ['tv'],
    titleZh: '电视屏幕面板',
    titleEn: 'TV display panel',
    bodyZh:
      '电视屏幕面板出现横竖线条、局部无显示，或亮点、暗点数量超出国家标准等非人为故障的，我方免费更换屏幕面板。面板更换前我方将与您确认预约时间，并由两名技术人员上门作业。',
    bodyEn:
      "If the TV's display panel develops faults not caused by the user, such as horizontal or vertical lines, areas with no picture, or more bright or dark pixels than the national standard allows, we will replace the panel free of charge. Before the replacement we will confirm an appointment with you, and two technicians will carry it out at your home.",
  },
  {
    key: 'screen-tv-burn-in',
    coverageType: 'screen',
    categories: ['tv'],
    titleZh: 'OLED电视烧屏',
    titleEn: 'OLED TV burn-in',
    bodyZh:
      'OLED电视在正常观看条件下出现永久性残影（烧屏）的，视为屏幕故障，我方免费更换屏幕面板。长时间显示静态画面（如用作广告展示屏或监控屏）导致的烧屏除外。',
    bodyEn:
      'Permanent image retention (burn-in) on an OLED TV under normal viewing conditions is treated as a screen fault, and the panel is replaced free of charge. Burn-in caused by showing static images for long periods, such as using the TV as an advertising display or a surveillance monitor, is excluded.',
  },
  {
    key: 'screen-touch-digitiser',
    coverageType: 'screen',
    categories: ['smartphone', 'tablet'],
    titleZh: '触控失灵及误触',
    titleEn: 'Touch failure and ghost touches',
    bodyZh:
      '屏幕出现局部触控失灵、自动误触或触控漂移，经检测确认为屏幕或触控芯片故障的，我方免费维修。因使用非原厂充电器或贴膜引起的触控异常不属于产品故障。',
    bodyEn:
      'If part of the screen stops responding to touch, registers phantom touches or suffers touch drift, we will repair it free of charge once testing confirms a fault in the screen or the touch controller. Touch problems caused by non-original chargers or screen protectors are not product faults.',
  },
  {
    key: 'screen-genuine-calibration',
    coverageType: 'screen',
    categories: ['smartphone', 'laptop', 'tablet', 'tv'],
    titleZh: '更换屏幕的规格与校准',
    titleEn: 'Specification and calibration of new screens',
    bodyZh:
      '更换的屏幕与原屏幕为同一规格的原厂部件，更换后我方将完成色彩、触控及相关传感器的校准。原屏幕上的贴膜、钢化膜等不随屏幕更换提供。',
    bodyEn:
      'Replacement screens are genuine parts of the same specification as the original, and after fitting one we calibrate colour, touch and the related sensors. Screen protectors or tempered glass fitted to the original screen are not supplied with the replacement.',
  },
  {
    key: 'screen-repair-allowance',
    coverageType: 'screen',
    categories: portable(),
    titleZh: '屏幕维修次数的计算',
    titleEn: 'How screen repairs are counted',
    bodyZh:
      '屏幕维修次数自服务期起始日起，每满12个月为一个计算周期。同一事故中屏幕与其他部件同时损坏的，屏幕部分计入屏幕维修次数，其他部件按相应保障条款处理。',
    bodyEn:
      'Screen repairs are counted in periods of 12 months starting from the first day of the Coverage Period. Where the screen and other parts are damaged in the same incident, the screen counts against the screen repair allowance and the other parts are handled under the relevant clauses.',
  },
  {
    key: 'screen-appliance-control-panel',
    coverageType: 'screen',
    categories: ['refrigerator', 'washing_machine', 'air_conditioner', 'small_kitchen_appliance'],
    titleZh: '家电显示屏及触控面板',
    titleEn: 'Appliance displays and touch panels',
    bodyZh:
      '冰箱门体显示屏、洗衣机控制面板、空调室内机显示屏及小厨电触控面板出现显示缺划、触控失灵或面板开裂的，我方免费维修或更换面板组件；因意外碰撞导致面板开裂的，服务期内限更换1次。',
    bodyEn:
      'If a refrigerator door display, washing machine control panel, air conditioner indoor unit display or small kitchen appliance touch panel shows missing segments, stops responding to touch or cracks, we will repair or replace the panel assembly free of charge; a panel cracked by an accidental knock can be replaced once during the Coverage Period.',
  },
];

const BATTERY: ClauseSeed[] = [
  {
    key: 'battery-smartphone-capacity',
    coverageType: 'battery',
    categories: ['smartphone'],
    titleZh: '手机电池健康度保障',
    titleEn: 'Phone battery health',
    bodyZh:
      '服务期内，经我方检测手机电池最大容量低于设计容量80%的，我方免费更换原厂电池一次。电池容量以我方官方检测工具读取的数据为准。',
    bodyEn:
      "During the Coverage Period, if our testing shows that the phone battery's maximum capacity is below 80% of its design capacity, we will replace it once with a genuine battery free of charge. Battery capacity is determined by the readings of our official diagnostic tool.",
  },
  {
    key: 'battery-laptop',
    coverageType: 'battery',
    categories: ['laptop'],
    titleZh: '笔记本电池保障',
    titleEn: 'Laptop battery cover',
    bodyZh:
      '服务期内，笔记本电池循环次数未超过1000次且满电容量低于设计容量70%的，我方免费更换原厂电池一次。内置电池须在授权服务网点更换，请勿自行拆卸。',
    bodyEn:
      'If, during the Coverage Period, a laptop battery has been through no more than 1,000 charge cycles and its full-charge capacity is below 70% of design capacity, we will replace it once with a genuine battery free of charge. Built-in batteries must be replaced at an authorised service centre; please do not remove them yourself.',
  },
  {
    key: 'battery-tablet',
    coverageType: 'battery',
    categories: ['tablet'],
    titleZh: '平板电池保障',
    titleEn: 'Tablet battery cover',
    bodyZh:
      '平板电脑电池最大容量低于设计容量80%，或续航时间明显异常的，经检测确认后免费更换原厂电池一次。更换电池时可能需同时更换屏幕粘合胶，相关材料费用由我方承担。',
    bodyEn:
      "If a tablet battery's maximum capacity falls below 80% of its design capacity, or its running time becomes clearly abnormal, we will replace it once with a genuine battery free of charge after testing confirms the problem. Replacing the battery may require new screen adhesive, the cost of which we bear.",
  },
  {
    key: 'battery-swelling',
    coverageType: 'battery',
    categories: portable(),
    titleZh: '电池鼓包',
    titleEn: 'Swollen batteries',
    bodyZh:
      '电池出现鼓包、变形的，无论剩余容量多少，均属于电池保障范围，且不占用电池更换次数。发现电池鼓包后请立即停止使用和充电并尽快报修，我方将优先处理。',
    bodyEn:
      'A swollen or deformed battery is covered whatever its remaining capacity, and its replacement does not use up the battery replacement allowance. If you notice a swollen battery, stop using and charging the device immediately and report it as soon as possible; we will handle it with priority.',
  },
  {
    key: 'battery-charging-faults',
    coverageType: 'battery',
    categories: portable(),
    titleZh: '充电及电量异常',
    titleEn: 'Charging and charge-level faults',
    bodyZh:
      '电池无法充电、充电速度异常缓慢、电量显示大幅跳变，或在电量高于20%时突然关机，经检测确认为电池或充电电路故障的，我方免费维修。',
    bodyEn:
      'If the battery will not charge, charges abnormally slowly, shows large jumps in the charge level or shuts down suddenly while above 20% charge, we will repair it free of charge once testing confirms a fault in the battery or the charging circuit.',
  },
  {
    key: 'battery-original-charger',
    coverageType: 'battery',
    categories: portable(),
    titleZh: '随机充电器及数据线',
    titleEn: 'Charger and cable supplied in the box',
    bodyZh:
      '与产品同一包装内随附的原厂电源适配器及数据线，出现无法充电等非人为故障的，服务期内可免费更换。线材外皮破损、插头弯折等人为损坏除外。',
    bodyEn:
      'The original power adapter and cable supplied in the same box as the product are replaced free of charge during the Coverage Period if they fail, for example by not charging, for reasons not caused by the user. Damage caused by the user, such as a split cable sheath or a bent plug, is excluded.',
  },
  {
    key: 'battery-kitchen-cordless',
    coverageType: 'battery',
    categories: ['small_kitchen_appliance'],
    titleZh: '无线小厨电电池',
    titleEn: 'Batteries in cordless kitchen appliances',
    bodyZh:
      '手持料理棒、无线打蛋器、便携榨汁杯等充电式产品的内置电池无法充电，或单次续航低于标称值50%的，我方免费更换电池组一次。',
    bodyEn:
      'If the built-in battery of a rechargeable product such as a hand blender, cordless whisk or portable juicer cup will not charge, or runs for less than 50% of its rated time on a full charge, we will replace the battery pack once free of charge.',
  },
  {
    key: 'battery-normal-ageing',
    coverageType: 'battery',
    categories: ['smartphone', 'laptop', 'tablet', 'small_kitchen_appliance'],
    titleZh: '电池正常老化说明',
    titleEn: 'Normal battery ageing',
    bodyZh:
      '锂电池属于化学消耗品，其容量会随充放电次数逐渐下降。电池容量仍高于本条款约定的更换标准时，续航时间缩短属于正常老化，不属于电池故障。',
    bodyEn:
      'Lithium batteries are chemical consumables whose capacity declines gradually with each charge cycle. While battery capacity remains above the replacement threshold in these terms, a shorter running time is normal ageing and not a battery fault.',
  },
];

const ON_SITE_SERVICE: ClauseSeed[] = [
  {
    key: 'on-site-large-appliance',
    coverageType: 'on_site_service',
    categories: largeAppliances(),
    titleZh: '大家电上门服务',
    titleEn: 'On-site service for large appliances',
    bodyZh:
      '电视、冰箱、洗衣机、空调等大家电在服务期内报修的，由我方授权服务网点派技术人员上门检测及维修，不收取上门费、远程费或搬运费。',
    bodyEn:
      'When you report a fault in a large appliance such as a TV, refrigerator, washing machine or air conditioner during the Coverage Period, our authorised service centre sends a technician to inspect and repair it at your home, with no call-out, distance or handling charges.',
  },
  {
    key: 'on-site-response-time',
    coverageType: 'on_site_service',
    categories: largeAppliances(),
    titleZh: '上门响应时限',
    titleEn: 'On-site response times',
    bodyZh:
      '我方在受理报修后2小时内与您联系预约上门时间。城市市区范围内，技术人员在受理后48小时内上门；县城及乡镇地区在72小时内上门，遇法定节假日或极端天气可能顺延。',
    bodyEn:
      'We will contact you within 2 hours of accepting your report to arrange a visit. In urban districts a technician will visit within 48 hours of acceptance, and in county towns and townships within 72 hours; these times may be extended on public holidays or in extreme weather.',
  },
  {
    key: 'on-site-remote-areas',
    coverageType: 'on_site_service',
    categories: largeAppliances(),
    titleZh: '偏远地区上门服务',
    titleEn: 'Service in remote areas',
    bodyZh:
      '产品安装地点超出授权服务网点服务半径（通常为50公里）的，我方仍提供上门服务且不额外收费，但上门时间可延长至5个工作日。海岛、牧区等无法上门的特殊地区，我方将与您协商送修方式并承担往返运费。',
    bodyEn:
      'Where the product is installed outside the service radius of our authorised service centres (usually 50 km), we still provide on-site service at no extra charge, but the visit may take up to 5 working days. For islands, pastoral areas and other places we cannot reach, we will agree with you how to bring the product in for repair and bear the freight both ways.',
  },
  {
    key: 'on-site-access',
    coverageType: 'on_site_service',
    categories: largeAppliances(),
    titleZh: '上门作业条件',
    titleEn: 'Access for on-site work',
    bodyZh:
      '上门维修时，请安排成年人在场，并为技术人员提供安全的作业空间及必要的水电条件。因嵌入式安装、橱柜改造等原因需拆除装修或家具方可维修的，拆装及恢复费用由您承担。',
    bodyEn:
      'For on-site repairs, an adult must be present and you must give the technician a safe working space and the necessary water and power. Where the repair requires removing fittings or furniture because of built-in installation or cabinet alterations, the cost of removal and reinstatement is borne by you.',
  },
  {
    key: 'on-site-workshop-transfer',
    coverageType: 'on_site_service',
    categories: largeAppliances(),
    titleZh: '无法现场修复的返厂维修',
    titleEn: 'Workshop repair when on-site repair fails',
    bodyZh:
      '故障无法在现场修复的，我方负责将产品运回维修中心维修，修复后送回并重新安装，全程运输及搬运费用由我方承担。返厂维修时间超过7日的，我方可视情况提供同类备用机供您临时使用。',
    bodyEn:
      'If a fault cannot be fixed on site, we take the product to a repair centre and, once it is repaired, deliver and reinstall it, bearing all transport and handling costs. If the workshop repair takes more than 7 days, we may lend you a comparable unit to use in the meantime.',
  },
  {
    key: 'on-site-technician-identity',
    coverageType: 'on_site_service',
    categories: largeAppliances(),
    titleZh: '上门人员身份核验',
    titleEn: 'Verifying the technician',
    bodyZh:
      '上门技术人员将出示我方工作证并携带电子工单，您可通过服务热线或扫码核验其身份。技术人员不得就本服务约定的免费项目收取任何费用，如遇收费请拒绝并向我方投诉。',
    bodyEn:
      'Our technician will show a company ID card and carry an electronic work order, and you can verify their identity through the service hotline or by scanning a code. Technicians may not charge for anything this Plan provides free of charge; if asked to pay, please refuse and complain to us.',
  },
  {
    key: 'on-site-tv-wall-mount',
    coverageType: 'on_site_service',
    categories: ['tv'],
    titleZh: '壁挂电视的拆装',
    titleEn: 'Wall-mounted TVs',
    bodyZh:
      '由我方或我方授权安装人员壁挂安装的电视，上门维修需取下电视的，由技术人员负责拆卸并在维修后重新挂装，不另收费。对于自行安装或由第三方安装的挂架，我方不对挂架本身的牢固性承担责任。',
    bodyEn:
      'For a TV wall-mounted by us or our authorised installer, if it must be taken down for an on-site repair, the technician will remove it and remount it afterwards at no extra charge. For brackets installed by you or a third party, we accept no responsibility for the strength of the bracket itself.',
  },
  {
    key: 'on-site-air-conditioner-height',
    coverageType: 'on_site_service',
    categories: ['air_conditioner'],
    titleZh: '空调外机高空作业',
    titleEn: 'Work on outdoor units at height',
    bodyZh:
      '空调室外机位于高空位置的，技术人员将在具备安全作业条件时进行维修；需使用吊篮、升降车等特殊设备的，设备费用由我方承担。外机安装位置违反安全规范导致无法作业的，我方将告知您整改建议。',
    bodyEn:
      'Where the outdoor unit is mounted at height, the technician will carry out the repair when it can be done safely, and if special equipment such as a gondola or aerial lift is needed we bear its cost. If the outdoor unit is positioned in breach of safety rules so that work cannot be done, we will tell you what needs to be corrected.',
  },
  {
    key: 'on-site-air-conditioner-cleaning',
    coverageType: 'on_site_service',
    categories: ['air_conditioner'],
    titleZh: '空调年度上门清洗',
    titleEn: 'Annual on-site air conditioner cleaning',
    bodyZh:
      '服务期内每12个月可预约一次免费上门清洗，包括室内机滤网、蒸发器及出风口的清洁消毒。清洗服务需提前3个工作日预约，每年6月至8月高峰期的预约可能顺延。',
    bodyEn:
      "During the Coverage Period you can book one free on-site cleaning in every 12 months, covering cleaning and disinfection of the indoor unit's filters, evaporator and air outlet. Cleaning must be booked 3 working days in advance, and bookings in the June to August peak may be postponed.",
  },
  {
    key: 'on-site-washing-machine-preparation',
    coverageType: 'on_site_service',
    categories: ['washing_machine'],
    titleZh: '洗衣机上门前准备',
    titleEn: 'Preparing a washing machine for a visit',
    bodyZh:
      '技术人员上门前，请关闭进水龙头，尽量排空筒内积水并取出衣物。洗衣机安装在阳台、卫生间等狭小空间的，请预留便于移动机器的通道。',
    bodyEn:
      'Before the technician arrives, please turn off the water supply tap, drain as much water from the drum as you can and take out any laundry. If the machine stands in a confined space such as a balcony or bathroom, please leave a clear path so that it can be moved.',
  },
  {
    key: 'on-site-laptop-next-business-day',
    coverageType: 'on_site_service',
    categories: ['laptop'],
    titleZh: '笔记本次工作日上门',
    titleEn: 'Next-business-day on-site service for laptops',
    bodyZh:
      '在我方公布的上门服务城市内，工作日17:00前受理的笔记本电脑报修，技术人员将于下一个工作日上门维修；需更换主板、屏幕等大件的，可能延长至3个工作日。',
    bodyEn:
      'In the cities where we have announced on-site service, laptop faults accepted before 17:00 on a working day are repaired by a technician at your premises on the next working day; jobs that need major parts such as a mainboard or display may take up to 3 working days.',
  },
];

const REPLACEMENT: ClauseSeed[] = [
  {
    key: 'replacement-irreparable',
    coverageType: 'replacement',
    categories: all(),
    titleZh: '无法修复时换新',
    titleEn: 'Replacement when repair is impossible',
    bodyZh:
      '产品发生保修范围内的故障，经我方确认无法修复或所需配件已停产的，我方为您更换同型号新品；同型号已停产的，更换功能及主要规格不低于原产品的同类新品。',
    bodyEn:
      "If we confirm that a covered fault cannot be repaired, or the parts needed have been discontinued, we will replace the product with a new unit of the same model; if that model has been discontinued, we will provide a new comparable product whose functions and main specifications are no lower than the original's.",
  },
  {
    key: 'replacement-repeat-repairs',
    coverageType: 'replacement',
    categories: all(),
    titleZh: '多次维修后换新',
    titleEn: 'Replacement after repeated repairs',
    bodyZh:
      '服务期内同一主要部件因同一质量问题累计维修3次后再次出现故障的，您可选择以同型号新品更换，无需再次维修。',
    bodyEn:
      'If a major component fails again after being repaired 3 times for the same quality problem during the Coverage Period, you may choose to have the product replaced with a new unit of the same model instead of another repair.',
  },
  {
    key: 'replacement-plan-fulfilled',
    coverageType: 'replacement',
    categories: all(),
    titleZh: '换新后服务终止',
    titleEn: 'Plan ends after replacement',
    bodyZh:
      '我方为您更换整机或按约定支付补偿后，本服务即视为履行完毕并自动终止。更换的新品享有其自身的法定三包及厂商保修，您可为新品另行购买延保服务。',
    bodyEn:
      "Once we have replaced the whole product or paid the agreed compensation, this Plan is regarded as fulfilled and ends automatically. The new product has its own statutory guarantee and manufacturer's warranty, and you may buy a new extended warranty plan for it.",
  },
  {
    key: 'replacement-cash-compensation',
    coverageType: 'replacement',
    categories: all(),
    titleZh: '无法换新时的补偿',
    titleEn: 'Compensation when no replacement is available',
    bodyZh:
      '无法提供同型号或同类产品更换的，我方按购机发票载明的实际购买价格向您支付补偿，补偿金额不超过产品零售价格。补偿支付后，原产品归我方所有。',
    bodyEn:
      "If neither the same model nor a comparable product is available, we will pay you compensation equal to the actual purchase price on your purchase invoice, up to the product's retail price. Once the compensation is paid, the original product becomes our property.",
  },
  {
    key: 'replacement-upgrade-option',
    coverageType: 'replacement',
    categories: all(),
    titleZh: '补差价升级换新',
    titleEn: 'Upgrading on replacement',
    bodyZh:
      '整机更换时，您可选择补足差价，更换为我方在售的更高配置型号，差价按两款产品当时的零售价格计算。升级换新后，本服务随即终止。',
    bodyEn:
      "When the whole unit is replaced, you may choose to pay the difference and take a higher-specification model we currently sell, the difference being calculated from the two products' retail prices at that time. This Plan ends once the upgraded product is supplied.",
  },
  {
    key: 'replacement-data-accessories',
    coverageType: 'replacement',
    categories: ['smartphone', 'laptop', 'tablet', 'tv'],
    titleZh: '换新不含数据及另购配件',
    titleEn: 'Data and accessories on replacement',
    bodyZh:
      '整机更换仅包括产品主机及原包装内的标准配件，不包括您另行购买的配件、贴膜或保护壳。原机内的数据、已安装的应用及个人设置不会迁移至新机，请在换新前自行备份。',
    bodyEn:
      'A whole-unit replacement covers only the main product and the standard accessories in the original box, not accessories, screen protectors or cases you bought separately. Data, installed apps and personal settings on the original unit are not transferred to the new one, so please back them up before the replacement.',
  },
  {
    key: 'replacement-smartphone-express',
    coverageType: 'replacement',
    categories: ['smartphone'],
    titleZh: '手机先换后修',
    titleEn: 'Express replacement for phones',
    bodyZh:
      '经确认需整机更换的，我方可先行寄出替换机，您应在收到替换机后10日内将原机寄回。逾期未寄回原机的，我方将按替换机的零售价格向您收取费用。',
    bodyEn:
      'Where a whole-unit replacement has been confirmed, we may ship the replacement phone first, and you must send back the original within 10 days of receiving it. If the original is not returned in time, we will charge you the retail price of the replacement phone.',
  },
  {
    key: 'replacement-large-appliance-delivery',
    coverageType: 'replacement',
    categories: largeAppliances(),
    titleZh: '大家电换新送装',
    titleEn: 'Delivery and installation of replacements',
    bodyZh:
      '大家电换新时，我方负责新机送货上门、标准安装及旧机回收，不收取运输、搬运及标准安装费用。空调换新时超出标准安装范围的铜管、支架等辅材，按我方公示的价格标准由您承担。',
    bodyEn:
      'When a large appliance is replaced, we deliver the new unit to your home, carry out standard installation and take away the old unit, with no charge for transport, handling or standard installation. For air conditioners, materials beyond the standard installation, such as extra copper pipe or brackets, are charged to you at our published prices.',
  },
  {
    key: 'replacement-kitchen-direct',
    coverageType: 'replacement',
    categories: ['small_kitchen_appliance'],
    titleZh: '小厨电直接换新',
    titleEn: 'Direct replacement of kitchen appliances',
    bodyZh:
      '小厨电发生保修范围内的故障，且预计维修费用超过产品零售价格50%的，我方直接为您更换同型号新品，不再进行维修。换新时请将原机主机及故障部件一并寄回。',
    bodyEn:
      "If a small kitchen appliance has a covered fault and the estimated repair cost exceeds 50% of the product's retail price, we will replace it directly with a new unit of the same model rather than repair it. Please send back the original main unit and the faulty parts when it is replaced.",
  },
];

const EXCLUSIONS: ClauseSeed[] = [
  {
    key: 'exclusions-cosmetic',
    coverageType: 'exclusions',
    categories: all(),
    titleZh: '外观损伤除外',
    titleEn: 'Cosmetic damage',
    bodyZh: '划痕、凹痕、掉漆、褪色、外壳磨损等不影响产品功能和使用的外观损伤，不属于本服务的保障范围。',
    bodyEn:
      "Cosmetic damage that does not affect the product's function or use, such as scratches, dents, chipped paint, fading and wear to the casing, is not covered by this Plan.",
  },
  {
    key: 'exclusions-unauthorised-repair',
    coverageType: 'exclusions',
    categories: all(),
    titleZh: '非授权拆修除外',
    titleEn: 'Unauthorised repair or modification',
    bodyZh:
      '产品经非我方授权的机构或个人拆修、改装，或防拆标签被撕毁的，由此导致的故障或损坏不属于保障范围。',
    bodyEn:
      'Faults or damage resulting from the product being opened, repaired or modified by any organisation or person not authorised by us, or from a tamper-evident label being removed, are not covered.',
  },
  {
    key: 'exclusions-commercial-use',
    coverageType: 'exclusions',
    categories: all(),
    titleZh: '商业及经营用途除外',
    titleEn: 'Commercial use',
    bodyZh:
      '本服务仅适用于家庭及个人使用的产品。用于出租、经营性场所（如洗衣店、餐饮店、酒店、网吧）或其他商业用途的产品，其发生的故障不属于保障范围。',
    bodyEn:
      'This Plan applies only to products used in the home or for personal purposes. Faults in products that are rented out, used in business premises such as laundries, restaurants, hotels or internet cafes, or used for other commercial purposes are not covered.',
  },
  {
    key: 'exclusions-consumables',
    coverageType: 'exclusions',
    categories: all(),
    titleZh: '耗材及易损件除外',
    titleEn: 'Consumables and wear parts',
    bodyZh:
      '滤网、滤芯、灯泡、遥控器电池、密封圈、刀片、外接线材等耗材及易损件因正常使用产生的损耗，不属于保障范围，本条款另有约定的除外。',
    bodyEn:
      'Normal wear of consumables and wear parts such as filters, filter cartridges, bulbs, remote-control batteries, sealing rings, blades and external cables is not covered, unless these terms provide otherwise.',
  },
  {
    key: 'exclusions-force-majeure',
    coverageType: 'exclusions',
    categories: all(),
    titleZh: '不可抗力除外',
    titleEn: 'Force majeure',
    bodyZh:
      '因地震、火灾、洪水、台风、战争、暴乱、政府征用等不可抗力事件导致的产品损坏或服务无法履行，我方不承担责任。不可抗力影响消除后，我方将尽快恢复服务。',
    bodyEn:
      'We are not liable for damage to the product, or for failing to provide the service, because of force majeure events such as earthquakes, fires, floods, typhoons, war, riots or government requisition. Once the effects of the event have passed, we will resume service as soon as possible.',
  },
  {
    key: 'exclusions-loss-theft',
    coverageType: 'exclusions',
    categories: all(),
    titleZh: '遗失及被盗除外',
    titleEn: 'Loss and theft',
    bodyZh: '产品遗失、被盗、被抢或因其他原因下落不明的，不属于本服务的保障范围，我方不提供补偿或换新。',
    bodyEn:
      'Loss, theft or robbery of the product, or its disappearance for any other reason, is not covered by this Plan, and we provide no compensation or replacement.',
  },
  {
    key: 'exclusions-software',
    coverageType: 'exclusions',
    categories: all(),
    titleZh: '软件及网络问题除外',
    titleEn: 'Software and network issues',
    bodyZh:
      '第三方软件或应用、病毒及恶意程序、用户自行修改的系统设置，以及网络、信号源或智能家居平台服务导致的问题，不属于硬件故障，不在保障范围内。我方可提供软件恢复方面的指导，但不保证第三方服务的可用性。',
    bodyEn:
      'Problems caused by third-party software or apps, viruses or malware, system settings changed by the user, or network, signal source or smart-home platform services are not hardware faults and are not covered. We can give guidance on restoring software but do not guarantee the availability of third-party services.',
  },
  {
    key: 'exclusions-data-loss',
    coverageType: 'exclusions',
    categories: ['smartphone', 'laptop', 'tablet', 'tv'],
    titleZh: '数据丢失除外',
    titleEn: 'Loss of data',
    bodyZh:
      '维修或换新过程中可能导致产品内存储的数据丢失。我方不负责数据的备份、恢复或迁移，也不对数据丢失造成的任何损失承担责任，报修前请您自行备份重要数据。',
    bodyEn:
      'Repair or replacement may erase data stored on the product. We are not responsible for backing up, recovering or transferring data, nor for any loss resulting from lost data, so please back up important data before reporting a fault.',
  },
  {
    key: 'exclusions-pre-existing',
    coverageType: 'exclusions',
    categories: all(),
    titleZh: '购买前已存在的故障除外',
    titleEn: 'Pre-existing faults',
    bodyZh:
      '在购买本服务之前已经存在的故障或损坏，不属于保障范围。已在厂商基础保修期内报修但尚未修复的故障，仍由基础保修负责处理。',
    bodyEn:
      "Faults or damage that already existed before you bought this Plan are not covered. A fault reported under the manufacturer's base warranty but not yet repaired remains the responsibility of the base warranty.",
  },
  {
    key: 'exclusions-serial-tampered',
    coverageType: 'exclusions',
    categories: all(),
    titleZh: '序列号涂改或不符除外',
    titleEn: 'Altered or mismatched serial numbers',
    bodyZh:
      '产品序列号、机身条码被涂改、撕毁或无法辨认，或与延保凭证登记的序列号不一致的，我方有权拒绝提供服务。',
    bodyEn:
      "We may refuse service if the product's serial number or body barcode has been altered, removed or made illegible, or does not match the serial number registered on the warranty certificate.",
  },
  {
    key: 'exclusions-misuse',
    coverageType: 'exclusions',
    categories: all(),
    titleZh: '故意损坏及不当使用除外',
    titleEn: 'Deliberate damage and misuse',
    bodyZh:
      '故意损坏，或未按产品说明书的要求使用、保管、维护产品所造成的故障，例如超负荷运行、用于非设计用途或在说明书禁止的环境中使用，不属于保障范围。',
    bodyEn:
      'Faults caused by deliberate damage, or by using, storing or maintaining the product contrary to the user manual, for example overloading it, using it for purposes it was not designed for or in an environment the manual prohibits, are not covered.',
  },
  {
    key: 'exclusions-installation-power',
    coverageType: 'exclusions',
    categories: all(),
    titleZh: '安装及供电环境除外',
    titleEn: 'Installation and power supply',
    bodyZh:
      '因安装不当、使用不符合国家标准的电源插座或线路（如未接地、电压长期偏离额定值），或安装环境不符合产品要求造成的故障，不属于保障范围。突发电涌造成的损坏按意外损坏相关条款处理。',
    bodyEn:
      "Faults caused by improper installation, by power sockets or wiring that do not meet national standards (for example without earthing, or with voltage persistently outside the rated range), or by an installation environment that does not meet the product's requirements are not covered. Damage from a sudden power surge is handled under the accidental damage clauses.",
  },
  {
    key: 'exclusions-consequential-loss',
    coverageType: 'exclusions',
    categories: all(),
    titleZh: '间接损失除外',
    titleEn: 'Indirect and consequential loss',
    bodyZh:
      '我方不承担因产品故障或维修期间无法使用产品而产生的间接损失，包括但不限于营业损失、误工费、交通费及其他财产损失，本条款另有约定的除外。',
    bodyEn:
      'We are not liable for indirect losses arising from a product fault or from being unable to use the product during a repair, including but not limited to lost business, lost working time, travel costs and damage to other property, unless these terms provide otherwise.',
  },
  {
    key: 'exclusions-non-original-accessories',
    coverageType: 'exclusions',
    categories: all(),
    titleZh: '非原厂配件致损除外',
    titleEn: 'Damage from non-original accessories',
    bodyZh: '因使用非原厂或不符合国家标准的充电器、电池、配件或耗材导致的产品损坏，不属于保障范围。',
    bodyEn:
      'Damage caused by using chargers, batteries, accessories or consumables that are not original or do not meet national standards is not covered.',
  },
  {
    key: 'exclusions-pests',
    coverageType: 'exclusions',
    categories: all(),
    titleZh: '虫鼠害除外',
    titleEn: 'Pests and vermin',
    bodyZh:
      '因老鼠、蟑螂等虫鼠进入产品内部啃咬或排泄造成的故障，不属于保障范围。建议您保持产品周围环境清洁，并定期检查散热孔及产品底部。',
    bodyEn:
      'Faults caused by rodents, cockroaches or other pests getting inside the product and gnawing or soiling it are not covered. We recommend keeping the area around the product clean and checking its ventilation openings and underside regularly.',
  },
  {
    key: 'exclusions-territory',
    coverageType: 'exclusions',
    categories: all(),
    titleZh: '境外购买及维修除外',
    titleEn: 'Products bought or repaired outside mainland China',
    bodyZh:
      '在中国大陆（不含香港、澳门特别行政区及台湾地区）以外购买的产品，包括平行进口产品，以及在中国大陆以外发生的维修费用，不属于本服务的保障范围。',
    bodyEn:
      'Products bought outside mainland China (excluding the Hong Kong and Macao Special Administrative Regions and Taiwan), including parallel imports, and repair costs incurred outside mainland China are not covered by this Plan.',
  },
  {
    key: 'exclusions-uncovered-benefits',
    coverageType: 'exclusions',
    categories: all(),
    titleZh: '未选购保障项目除外',
    titleEn: 'Benefits not included in your plan',
    bodyZh:
      '意外损坏、液体损坏、屏幕碎裂、电池更换、上门服务及换新等保障项目，仅在您购买的延保计划明确包含时适用；计划未包含的项目，相关损坏或服务请求不予保障。',
    bodyEn:
      'Accidental damage, liquid damage, cracked screens, battery replacement, on-site service, replacement and similar benefits apply only if the plan you bought expressly includes them; damage or service requests relating to benefits your plan does not include are not covered.',
  },
  {
    key: 'exclusions-rooting',
    coverageType: 'exclusions',
    categories: ['smartphone', 'tablet'],
    titleZh: '刷机及越狱除外',
    titleEn: 'Rooting and unofficial firmware',
    bodyZh:
      '对设备进行获取root权限、解锁引导程序、刷入非官方固件或越狱等操作导致的故障，不属于保障范围；我方可有偿将设备恢复为官方系统。',
    bodyEn:
      'Faults caused by rooting the device, unlocking the bootloader, installing unofficial firmware or jailbreaking are not covered; we can restore the official system for a fee.',
  },
  {
    key: 'exclusions-laptop-upgrades',
    coverageType: 'exclusions',
    categories: ['laptop'],
    titleZh: '自行加装部件除外',
    titleEn: 'User-installed upgrades',
    bodyZh:
      '您自行加装或更换的内存、硬盘、网卡等部件，以及由此引起的兼容性问题，不属于保障范围。送修前请将设备恢复为出厂配置，否则可能影响故障检测结论。',
    bodyEn:
      'Memory, drives, network cards and other parts you have added or replaced yourself, and any compatibility problems they cause, are not covered. Please restore the factory configuration before sending the laptop for repair, as otherwise the diagnosis may be affected.',
  },
  {
    key: 'exclusions-tv-external-devices',
    coverageType: 'exclusions',
    categories: ['tv'],
    titleZh: '电视外接设备除外',
    titleEn: 'TV external devices',
    bodyZh:
      '壁挂架、底座螺丝、外接机顶盒、天线、音响等外接设备，以及遥控器的跌落损坏，不属于保障范围。因信号源质量或片源格式导致的画质、音质问题不属于产品故障。',
    bodyEn:
      'Wall brackets, stand screws, external set-top boxes, aerials, sound systems and other external devices, and remote controls damaged by being dropped, are not covered. Picture or sound quality problems caused by the signal source or the format of the content are not product faults.',
  },
  {
    key: 'exclusions-refrigerator',
    coverageType: 'exclusions',
    categories: ['refrigerator'],
    titleZh: '冰箱特定除外事项',
    titleEn: 'Refrigerator-specific exclusions',
    bodyZh:
      '冰箱照明灯、滤水滤芯、除味剂，因门未关严或频繁开门导致的结霜结冰，以及存放食物产生的异味，不属于保障范围。冰箱运行中的正常流水声、压缩机启停声不属于故障。',
    bodyEn:
      'Refrigerator lamps, water filter cartridges and deodorisers, frost or ice caused by the door not being closed properly or being opened frequently, and odours from stored food are not covered. The normal sound of refrigerant flowing and of the compressor starting and stopping is not a fault.',
  },
  {
    key: 'exclusions-washing-machine',
    coverageType: 'exclusions',
    categories: ['washing_machine'],
    titleZh: '洗衣机特定除外事项',
    titleEn: 'Washing machine-specific exclusions',
    bodyZh:
      '未拆除运输固定螺栓即使用造成的损坏，异物进入导致的排水泵、内筒损坏，进排水管及过滤器堵塞，以及洗涤剂残留或水垢问题，不属于保障范围。',
    bodyEn:
      'Damage from using the machine without removing the transit bolts, damage to the drain pump or drum caused by foreign objects, blocked inlet or drain hoses and filters, and detergent residue or limescale problems are not covered.',
  },
  {
    key: 'exclusions-air-conditioner',
    coverageType: 'exclusions',
    categories: ['air_conditioner'],
    titleZh: '空调特定除外事项',
    titleEn: 'Air conditioner-specific exclusions',
    bodyZh:
      '空调移机、拆装及由此产生的管路、辅材费用，日常清洗保养（本条款约定的年度清洗服务除外），未发生泄漏情况下的加氟，以及因空调匹数与房间面积不匹配导致的制冷制热效果不足，不属于保障范围。',
    bodyEn:
      "Relocating, removing or reinstalling the air conditioner and the pipework and materials this involves, routine cleaning and maintenance (other than any annual cleaning these terms provide), adding refrigerant when there is no leak, and weak cooling or heating because the unit's capacity does not suit the room size are not covered.",
  },
  {
    key: 'exclusions-kitchen',
    coverageType: 'exclusions',
    categories: ['small_kitchen_appliance'],
    titleZh: '小厨电特定除外事项',
    titleEn: 'Kitchen appliance-specific exclusions',
    bodyZh:
      '内胆不粘涂层的正常磨损、水垢堆积、刀片自然变钝、密封圈老化，以及因干烧、未按规定加水或清洗不当造成的损坏，不属于保障范围。',
    bodyEn:
      "Normal wear of the inner pot's non-stick coating, limescale build-up, blades dulling over time, ageing sealing rings, and damage caused by heating while empty, not adding water as instructed or improper cleaning are not covered.",
  },
];

const CLAIM_PROCEDURE: ClauseSeed[] = [
  {
    key: 'claim-channels',
    coverageType: 'claim_procedure',
    categories: all(),
    titleZh: '报修渠道',
    titleEn: 'How to report a fault',
    bodyZh:
      '您可通过拨打7×24小时服务热线、扫描产品包装上的延保二维码或登录我方在线服务平台提交报修申请。提交时请说明故障现象、发生时间及产品所在地址。',
    bodyEn:
      'You can report a fault by calling our 24/7 service hotline, scanning the extended warranty QR code on the product packaging or using our online service platform. Please describe the fault, when it occurred and where the product is located.',
  },
  {
    key: 'claim-documents',
    coverageType: 'claim_procedure',
    categories: all(),
    titleZh: '报修所需材料',
    titleEn: 'Documents required for a claim',
    bodyZh:
      '报修时请提供产品序列号、购机发票或其他有效购买凭证，以及延保订单号或电子延保凭证。购买凭证上的购买日期与序列号是核定服务期及保障资格的依据。',
    bodyEn:
      'When claiming, please provide the product serial number, the purchase invoice or other valid proof of purchase, and the extended warranty order number or electronic certificate. The purchase date and serial number on the proof of purchase determine the Coverage Period and your eligibility.',
  },
  {
    key: 'claim-timely-report',
    coverageType: 'claim_procedure',
    categories: all(),
    titleZh: '及时报修',
    titleEn: 'Reporting promptly',
    bodyZh:
      '故障须在服务期内发生，并应在发现后及时报修，最迟不超过服务期届满后15日。因拖延报修导致损坏扩大的，扩大部分不予保障。',
    bodyEn:
      'The fault must occur during the Coverage Period and should be reported promptly once discovered, and in any case no later than 15 days after the Coverage Period ends. Any additional damage caused by a delay in reporting is not covered.',
  },
  {
    key: 'claim-acceptance-response',
    coverageType: 'claim_procedure',
    categories: all(),
    titleZh: '受理时限',
    titleEn: 'Acceptance of claims',
    bodyZh:
      '我方在收到报修申请后24小时内完成受理审核，并通知您处理方式。材料不全的，我方将一次性告知需补充的内容，补充材料期间不计入受理时限。',
    bodyEn:
      'Within 24 hours of receiving your report we will review and accept it and tell you how it will be handled. If information is missing, we will tell you everything that needs to be added at once, and the time taken to supply it does not count towards that 24 hours.',
  },
  {
    key: 'claim-incident-description',
    coverageType: 'claim_procedure',
    categories: all(),
    titleZh: '意外事故说明',
    titleEn: 'Describing an accident',
    bodyZh:
      '申请意外损坏或液体损坏保障的，请如实说明事故发生的时间、地点和经过，并提供损坏部位的照片。我方可根据检测结果核实事故说明的真实性。',
    bodyEn:
      'When claiming for accidental or liquid damage, please state truthfully when, where and how the accident happened and provide photos of the damaged area. We may check your account against the inspection findings.',
  },
  {
    key: 'claim-uncovered-quote',
    coverageType: 'claim_procedure',
    categories: all(),
    titleZh: '保外维修报价',
    titleEn: 'Quotes for repairs that are not covered',
    bodyZh:
      '检测发现故障不在保障范围内的，我方将先向您提供维修报价，经您确认后方进行付费维修。您不接受报价的，我方不收取检测费，并将产品复原后交还或寄回。',
    bodyEn:
      'If inspection shows that the fault is not covered, we will first give you a repair quote and carry out paid repairs only after you accept it. If you decline the quote, we make no inspection charge and will reassemble the product and hand it back or send it back to you.',
  },
  {
    key: 'claim-rejection-review',
    coverageType: 'claim_procedure',
    categories: all(),
    titleZh: '拒赔说明及复核',
    titleEn: 'Declined claims and review',
    bodyZh:
      '报修不属于保障范围的，我方将以书面或电子形式告知具体理由及所依据的条款。您对结论有异议的，可在收到通知后30日内申请复核，我方将另行指派人员在10个工作日内答复。',
    bodyEn:
      'If a claim is not covered, we will tell you in writing or electronically the specific reasons and the clauses relied on. If you disagree, you may request a review within 30 days of the notice, and a different member of our staff will reply within 10 working days.',
  },
  {
    key: 'claim-service-records',
    coverageType: 'claim_procedure',
    categories: all(),
    titleZh: '维修记录',
    titleEn: 'Service records',
    bodyZh:
      '每次维修的时间、故障描述、更换部件及处理结果均记录在您的延保订单中，您可随时通过服务平台查询。维修记录是计算维修次数及退保扣减金额的依据。',
    bodyEn:
      'The date, fault description, parts replaced and outcome of every repair are recorded against your extended warranty order, and you can look them up on the service platform at any time. Service records are the basis for counting repairs and for the deductions made on cancellation.',
  },
  {
    key: 'claim-fraud',
    coverageType: 'claim_procedure',
    categories: all(),
    titleZh: '虚假报修',
    titleEn: 'Fraudulent claims',
    bodyZh:
      '以虚构事故、故意制造损坏、冒用他人产品或提供虚假材料等方式申请服务的，我方有权拒绝服务、追回已提供服务的费用，并可解除本服务合同，已支付的服务费用不予退还。',
    bodyEn:
      "If you claim by inventing an accident, deliberately causing damage, using someone else's product or providing false documents, we may refuse service, recover the cost of services already provided and terminate this Plan, and the plan price paid will not be refunded.",
  },
  {
    key: 'claim-complaints',
    coverageType: 'claim_procedure',
    categories: all(),
    titleZh: '服务投诉',
    titleEn: 'Complaints about service',
    bodyZh:
      '您对维修质量、服务时效或服务态度不满意的，可通过服务热线或服务平台投诉，我方将在48小时内答复处理意见。您也可以向当地消费者协会或市场监督管理部门投诉。',
    bodyEn:
      'If you are unhappy with the quality, speed or manner of our service, you can complain through the service hotline or service platform, and we will reply with our proposed resolution within 48 hours. You may also complain to your local consumer association or market regulation authority.',
  },
  {
    key: 'claim-walk-in',
    coverageType: 'claim_procedure',
    categories: portable(),
    titleZh: '服务网点送修',
    titleEn: 'Walk-in service centres',
    bodyZh:
      '您可携带产品及购买凭证前往我方授权服务网点送修，建议提前通过服务平台预约以减少等候时间。一般故障可当场检测，更换屏幕、电池等常见维修通常在1小时内完成。',
    bodyEn:
      'You can bring the product and proof of purchase to one of our authorised service centres; booking ahead on the service platform reduces waiting time. Common faults can be diagnosed on the spot, and routine repairs such as screen or battery replacement are usually finished within 1 hour.',
  },
  {
    key: 'claim-pickup-return',
    coverageType: 'claim_procedure',
    categories: ['smartphone', 'laptop', 'tablet', 'small_kitchen_appliance'],
    titleZh: '上门取件及寄回',
    titleEn: 'Collection and return by courier',
    bodyZh:
      '您可选择由我方指定快递上门取件，维修完成后免费寄回，往返运费及保价费用由我方承担。取件时请妥善包装产品，与故障无关的配件无需寄送。',
    bodyEn:
      'You can have our designated courier collect the product from your address, and it is sent back free of charge after the repair; we pay the freight and insured-value charges both ways. Please pack the product securely for collection; accessories unrelated to the fault need not be sent.',
  },
  {
    key: 'claim-mail-in-turnaround',
    coverageType: 'claim_procedure',
    categories: ['smartphone', 'laptop', 'tablet', 'small_kitchen_appliance'],
    titleZh: '寄修时效',
    titleEn: 'Mail-in repair turnaround',
    bodyZh:
      '寄修产品自维修中心签收之日起7个工作日内完成维修并寄出；需调配配件的，我方将告知预计完成时间，最长不超过15个工作日。因我方指定承运方原因造成的运输损坏由我方负责。',
    bodyEn:
      'Mail-in products are repaired and shipped back within 7 working days of the repair centre signing for them; if parts have to be sourced, we will tell you the expected completion date, which will be no more than 15 working days. We are responsible for damage in transit caused by our designated carrier.',
  },
  {
    key: 'claim-device-preparation',
    coverageType: 'claim_procedure',
    categories: portable(),
    titleZh: '送修前的设备准备',
    titleEn: 'Preparing your device for repair',
    bodyZh:
      '送修前，请备份数据，退出云服务账户并关闭“查找设备”功能，取出SIM卡、存储卡并移除保护壳。设备激活锁未解除的，我方无法进行维修。',
    bodyEn:
      'Before sending your device for repair, please back up your data, sign out of your cloud account, turn off Find My Device and remove the SIM card, memory card and case. We cannot repair a device whose activation lock is still on.',
  },
  {
    key: 'claim-large-appliance-service-report',
    coverageType: 'claim_procedure',
    categories: largeAppliances(),
    titleZh: '上门服务工单确认',
    titleEn: 'On-site service report',
    bodyZh:
      '技术人员完成检测或维修后，将出具电子服务工单，列明故障原因、更换部件及收费情况（保障范围内为零）。请在确认产品运行正常后签字确认，如有异议可当场提出或在7日内反馈。',
    bodyEn:
      'After inspecting or repairing the product, the technician issues an electronic service report listing the cause of the fault, the parts replaced and any charges (nil for covered work). Please sign it once you have confirmed that the product works normally; if you disagree, say so on the spot or within 7 days.',
  },
  {
    key: 'claim-refrigerator-priority',
    coverageType: 'claim_procedure',
    categories: ['refrigerator'],
    titleZh: '冰箱不制冷优先处理',
    titleEn: 'Priority for refrigerators that stop cooling',
    bodyZh:
      '冰箱完全不制冷的报修，我方将在受理后24小时内安排技术人员上门。等待维修期间，请尽量减少开门次数，并将易腐食品转移保存。',
    bodyEn:
      'If a refrigerator has stopped cooling completely, we will send a technician within 24 hours of accepting the report. While you wait, please open the door as little as possible and move perishable food elsewhere.',
  },
  {
    key: 'claim-air-conditioner-peak-season',
    coverageType: 'claim_procedure',
    categories: ['air_conditioner'],
    titleZh: '空调旺季报修',
    titleEn: 'Claims during the peak season',
    bodyZh:
      '每年6月至8月为空调维修高峰期，上门时间可能顺延至受理后72小时。空调完全无法制冷或制热，且家中有老人、婴幼儿或孕妇的，请在报修时说明，我方将优先安排。',
    bodyEn:
      'June to August is the peak season for air conditioner repairs, and visits may take up to 72 hours after acceptance. If the unit cannot cool or heat at all and there are elderly people, infants or pregnant women in the home, please say so when reporting and we will give you priority.',
  },
];

const CANCELLATION_REFUND: ClauseSeed[] = [
  {
    key: 'cancel-cooling-off',
    coverageType: 'cancellation_refund',
    categories: all(),
    titleZh: '犹豫期全额退款',
    titleEn: 'Full refund in the cooling-off period',
    bodyZh:
      '自购买本服务之日起30日内为犹豫期。犹豫期内未发生任何报修的，您可随时申请退保，我方全额退还已支付的服务费用。',
    bodyEn:
      'The 30 days from the date you buy this Plan are a cooling-off period. If no claim has been made, you may cancel at any time within that period and we will refund the full plan price you paid.',
  },
  {
    key: 'cancel-pro-rata',
    coverageType: 'cancellation_refund',
    categories: all(),
    titleZh: '犹豫期后按比例退款',
    titleEn: 'Pro-rated refund after the cooling-off period',
    bodyZh:
      '犹豫期满后申请退保的，我方按服务期剩余天数占总天数的比例退还服务费用，即：退款金额＝已付服务费×剩余天数÷服务期总天数－已发生的维修费用；计算结果小于零的，按零计。',
    bodyEn:
      'If you cancel after the cooling-off period, we refund the plan price in proportion to the days remaining in the Coverage Period: the refund equals the plan price paid, multiplied by the remaining days and divided by the total days of the Coverage Period, less repair costs already incurred. If the result is below zero, no refund is due.',
  },
  {
    key: 'cancel-claims-deducted',
    coverageType: 'cancellation_refund',
    categories: all(),
    titleZh: '已发生维修费用的扣减',
    titleEn: 'Deduction of repair costs',
    bodyZh:
      '服务期内已为您提供的维修、换新服务，按配件及人工的实际成本计为已发生的维修费用，并在退保时扣减。在犹豫期内发生报修后申请退保的，同样按本条扣减。',
    bodyEn:
      'Repairs and replacements already provided under this Plan count as repair costs incurred, at the actual cost of parts and labour, and are deducted from any refund on cancellation. The same deduction applies if you cancel within the cooling-off period after a claim has been made.',
  },
  {
    key: 'cancel-how-to',
    coverageType: 'cancellation_refund',
    categories: all(),
    titleZh: '退保申请及退款方式',
    titleEn: 'How to cancel and how refunds are paid',
    bodyZh:
      '您可通过服务平台或服务热线提交退保申请，并提供延保订单号及购买时登记的手机号码。审核通过后，我方在7个工作日内将退款原路退回您的支付账户。',
    bodyEn:
      'You can apply to cancel through the service platform or hotline by giving the extended warranty order number and the mobile number registered at purchase. Once the application is approved, we refund the money to the original payment account within 7 working days.',
  },
  {
    key: 'cancel-product-returned',
    coverageType: 'cancellation_refund',
    categories: all(),
    titleZh: '主产品退货时的退保',
    titleEn: 'Cancellation when the product is returned',
    bodyZh:
      '主产品依法办理退货（包括七日无理由退货及三包退货）的，本服务自动解除，我方全额退还服务费用，不受犹豫期限制。',
    bodyEn:
      'If the product itself is returned as the law allows, including 7-day no-reason returns and returns under the statutory guarantee, this Plan is cancelled automatically and we refund the full plan price, whether or not the cooling-off period has passed.',
  },
  {
    key: 'cancel-before-coverage-starts',
    coverageType: 'cancellation_refund',
    categories: all(),
    titleZh: '服务期开始前退保',
    titleEn: 'Cancelling before cover starts',
    bodyZh:
      '服务期尚未开始（例如产品仍处于厂商基础保修期内）时申请退保的，即使已超过犹豫期，我方亦全额退还服务费用。',
    bodyEn:
      "If you cancel before the Coverage Period has started, for example while the product is still under the manufacturer's base warranty, we refund the full plan price even if the cooling-off period has passed.",
  },
  {
    key: 'cancel-after-fulfilment',
    coverageType: 'cancellation_refund',
    categories: all(),
    titleZh: '履行完毕及期满后不予退款',
    titleEn: 'No refund once fulfilled or expired',
    bodyZh:
      '本服务因整机换新或支付补偿而履行完毕的，不再退还任何服务费用。服务期届满后提出的退保申请，我方不予受理。',
    bodyEn:
      'Where this Plan has been fulfilled by a whole-unit replacement or a compensation payment, no part of the plan price is refunded. Applications to cancel made after the Coverage Period has ended are not accepted.',
  },
  {
    key: 'cancel-by-provider',
    coverageType: 'cancellation_refund',
    categories: all(),
    titleZh: '我方解除合同',
    titleEn: 'Termination by us',
    bodyZh:
      '除虚假报修等严重违约情形外，我方不得单方解除本服务。因停止经营等原因无法继续提供服务的，我方应提前30日通知您，按剩余服务期比例退还服务费用，且不扣减已发生的维修费用。',
    bodyEn:
      "Except in cases of serious breach such as fraudulent claims, we may not terminate this Plan unilaterally. If we cannot continue the service, for example because we cease trading, we will give you 30 days' notice and refund the plan price in proportion to the remaining Coverage Period without deducting repair costs already incurred.",
  },
  {
    key: 'cancel-invoice',
    coverageType: 'cancellation_refund',
    categories: all(),
    titleZh: '退保时的发票处理',
    titleEn: 'Invoices on cancellation',
    bodyZh:
      '已就本服务开具发票的，退保时我方将开具红字发票冲销原发票；已开具纸质增值税专用发票的，您需配合退回原发票或提供相关证明。',
    bodyEn:
      'If an invoice has been issued for this Plan, we will issue a red-letter credit invoice on cancellation to reverse it; where a paper special VAT invoice was issued, you must return the original invoice or provide the relevant certificate.',
  },
  {
    key: 'cancel-after-transfer',
    coverageType: 'cancellation_refund',
    categories: all(),
    titleZh: '转让后的退保权利',
    titleEn: 'Cancellation rights after transfer',
    bodyZh:
      '本服务随产品转让后，退保权利由受让人享有，退款退至受让人指定的账户，犹豫期不因转让而重新计算。原购买人不得再申请退保。',
    bodyEn:
      'After this Plan has been transferred with the product, the right to cancel belongs to the new owner and refunds are paid to an account the new owner names; the cooling-off period does not restart on transfer. The original buyer may no longer cancel.',
  },
];

const GENERAL_TERMS: ClauseSeed[] = [
  {
    key: 'general-coverage-period',
    coverageType: 'general_terms',
    categories: all(),
    titleZh: '服务期',
    titleEn: 'Coverage Period',
    bodyZh:
      '本服务的服务期起止日期以电子延保凭证载明为准。服务期自购买主产品之日起、自厂商基础保修期届满次日起或自等待期满次日起算，具体以您购买的延保计划为准。',
    bodyEn:
      "The start and end dates of the Coverage Period are those shown on the electronic warranty certificate. Depending on the plan you bought, the Coverage Period runs from the date the product was bought, from the day after the manufacturer's base warranty ends, or from the day after a waiting period ends.",
  },
  {
    key: 'general-waiting-period',
    coverageType: 'general_terms',
    categories: all(),
    titleZh: '等待期',
    titleEn: 'Waiting period',
    bodyZh:
      '延保计划设有等待期的，自购买本服务之日起至等待期届满之日止为等待期，等待期内首次出现的故障不予保障。等待期满后首次出现的故障，按本条款正常处理。',
    bodyEn:
      'Where the plan has a waiting period, it runs from the date you buy this Plan until the waiting period ends, and faults that first appear during it are not covered. Faults that first appear after the waiting period ends are handled normally under these terms.',
  },
  {
    key: 'general-eligibility',
    coverageType: 'general_terms',
    categories: all(),
    titleZh: '购买资格',
    titleEn: 'Eligibility',
    bodyZh:
      '本服务仅适用于在中国大陆通过正规渠道购买的全新产品，并须在延保计划规定的期限内（自购买主产品之日起计算）完成购买和登记。二手产品、样机及翻新机不得购买本服务。',
    bodyEn:
      'This Plan is available only for new products bought through legitimate channels in mainland China, and must be bought and registered within the period the plan sets, counted from the date the product was bought. Second-hand products, display models and refurbished units are not eligible.',
  },
  {
    key: 'general-nature-of-service',
    coverageType: 'general_terms',
    categories: all(),
    titleZh: '服务性质',
    titleEn: 'Nature of the service',
    bodyZh:
      '本服务是产品制造商直接向您提供的延长保修服务，由制造商通过自有及授权的售后服务体系履行，不属于保险产品，亦不经任何中间商转售。',
    bodyEn:
      "This Plan is an extended warranty service provided to you directly by the product's manufacturer and performed through its own and its authorised after-sales network; it is not an insurance product and is not resold through any intermediary.",
  },
  {
    key: 'general-statutory-rights',
    coverageType: 'general_terms',
    categories: all(),
    titleZh: '与三包及基础保修的关系',
    titleEn: 'Relation to statutory and base warranties',
    bodyZh:
      '本服务是对厂商基础保修的补充，不影响您依法享有的三包权利及其他消费者权益。基础保修期与服务期重叠的，同一故障优先适用基础保修及三包规定处理。',
    bodyEn:
      "This Plan supplements the manufacturer's base warranty and does not affect your statutory guarantee rights or other consumer rights. Where the base warranty period and the Coverage Period overlap, a fault is handled first under the base warranty and the statutory guarantee rules.",
  },
  {
    key: 'general-one-unit',
    coverageType: 'general_terms',
    categories: all(),
    titleZh: '一机一保',
    titleEn: 'One plan per product',
    bodyZh:
      '本服务与登记的产品序列号一一对应，仅对该台产品有效，不得转移至其他产品使用。同一台产品在同一时间只能有一份同类延保计划生效。',
    bodyEn:
      'This Plan is tied to the registered product serial number and is valid only for that unit; it cannot be moved to another product. Only one plan of the same kind can be in force for a given unit at any one time.',
  },
  {
    key: 'general-transfer',
    coverageType: 'general_terms',
    categories: all(),
    titleZh: '随产品转让',
    titleEn: 'Transfer on resale',
    bodyZh:
      '产品转售或赠与他人的，本服务可随产品一并免费转让，服务期不变。转让双方应通过服务平台办理过户登记，登记完成前受让人无法申请服务。',
    bodyEn:
      'If you sell the product or give it away, this Plan can be transferred with it free of charge and the Coverage Period stays the same. Both parties must register the transfer on the service platform, and the new owner cannot make claims until it has been registered.',
  },
  {
    key: 'general-liability-limit',
    coverageType: 'general_terms',
    categories: all(),
    titleZh: '责任限额',
    titleEn: 'Limit of liability',
    bodyZh:
      '服务期内我方为您提供的全部维修、换新及补偿的累计金额，以产品的零售价格为上限。累计金额达到上限时，本服务自动终止。',
    bodyEn:
      "The total value of all repairs, replacements and compensation we provide during the Coverage Period is capped at the product's retail price. When that limit is reached, this Plan ends automatically.",
  },
  {
    key: 'general-electronic-certificate',
    coverageType: 'general_terms',
    categories: all(),
    titleZh: '电子延保凭证',
    titleEn: 'Electronic warranty certificate',
    bodyZh:
      '付款成功后，我方向您出具电子延保凭证，载明产品信息、保障项目、服务期及条款版本，与纸质凭证具有同等效力。您可随时通过扫码或输入订单号查询和下载。',
    bodyEn:
      'Once payment succeeds, we issue you an electronic warranty certificate stating the product details, benefits, Coverage Period and terms version; it has the same effect as a paper certificate. You can look it up and download it at any time by scanning the code or entering the order number.',
  },
  {
    key: 'general-terms-version',
    coverageType: 'general_terms',
    categories: all(),
    titleZh: '条款版本',
    titleEn: 'Version of the terms',
    bodyZh:
      '本服务适用您购买时所展示并冻结的条款版本，我方此后对条款的修订不影响已购买的服务；修订内容对您更为有利的，您可选择适用修订后的条款。',
    bodyEn:
      'This Plan is governed by the version of the terms displayed and frozen when you bought it, and later revisions do not affect plans already bought; where a revision is more favourable to you, you may choose to have the revised terms apply.',
  },
  {
    key: 'general-notices',
    coverageType: 'general_terms',
    categories: all(),
    titleZh: '通知方式',
    titleEn: 'Notices',
    bodyZh:
      '我方将通过短信发送至您购买时登记的手机号码，或通过服务平台站内消息向您发送通知，发送成功即视为送达。手机号码变更的，请及时在服务平台更新。',
    bodyEn:
      'We send notices by text message to the mobile number you registered at purchase, or as messages on the service platform, and a notice is deemed delivered once it has been sent successfully. If your mobile number changes, please update it promptly on the service platform.',
  },
  {
    key: 'general-personal-information',
    coverageType: 'general_terms',
    categories: all(),
    titleZh: '个人信息保护',
    titleEn: 'Personal information',
    bodyZh:
      '我方依照《中华人民共和国个人信息保护法》处理您的姓名、手机号码、地址及产品序列号等个人信息，仅用于履行本服务、处理报修及必要的客户沟通，不会向第三方出售。您有权查阅、复制、更正、删除您的个人信息或撤回同意，法律、行政法规另有规定的除外。',
    bodyEn:
      "We process your personal information, such as your name, mobile number, address and product serial number, in accordance with the Personal Information Protection Law of the People's Republic of China, solely to perform this Plan, handle claims and communicate with you as necessary, and we never sell it to third parties. You have the right to access, copy, correct or delete your personal information or to withdraw your consent, except where laws or administrative regulations provide otherwise.",
  },
  {
    key: 'general-personal-information-sharing',
    coverageType: 'general_terms',
    categories: all(),
    titleZh: '个人信息的委托处理与保存期限',
    titleEn: 'Service providers and retention of personal data',
    bodyZh:
      '为完成上门维修、寄修及退款，我方可能将必要的个人信息提供给授权服务网点、物流公司及支付机构，并要求其承担同等的保护义务。您的个人信息在服务期届满后保存3年，期满后予以删除或匿名化处理。',
    bodyEn:
      'To carry out on-site repairs, mail-in repairs and refunds, we may share the necessary personal information with authorised service centres, courier companies and payment institutions, and we require them to protect it to the same standard. Your personal information is kept for 3 years after the Coverage Period ends and is then deleted or anonymised.',
  },
  {
    key: 'general-governing-law',
    coverageType: 'general_terms',
    categories: all(),
    titleZh: '法律适用及争议解决',
    titleEn: 'Governing law and disputes',
    bodyZh:
      '本条款适用中华人民共和国法律（为本条款之目的，不包括香港、澳门特别行政区及台湾地区法律）。因本服务发生的争议，双方应友好协商解决；协商不成的，任何一方均可向您住所地有管辖权的人民法院提起诉讼。',
    bodyEn:
      "These terms are governed by the laws of the People's Republic of China (for the purposes of these terms, excluding the laws of the Hong Kong and Macao Special Administrative Regions and Taiwan). Disputes arising from this Plan shall be settled by friendly negotiation; failing that, either party may bring proceedings in the competent people's court where you are domiciled.",
  },
  {
    key: 'general-language',
    coverageType: 'general_terms',
    categories: all(),
    titleZh: '语言版本',
    titleEn: 'Language versions',
    bodyZh: '本条款以中文和英文两种文字书就，两种文本如有不一致，以中文文本为准。',
    bodyEn:
      'These terms are written in Chinese and English; if the two versions differ, the Chinese version prevails.',
  },
  {
    key: 'general-travel-abroad',
    coverageType: 'general_terms',
    categories: portable(),
    titleZh: '出境期间发生的故障',
    titleEn: 'Faults that occur while abroad',
    bodyZh: '产品随您出境期间发生保障范围内故障的，您可在返回中国大陆后按本条款报修；服务期不因出境而延长。',
    bodyEn:
      'If a covered fault occurs while you are outside mainland China with the product, you may claim under these terms once you return to mainland China; the Coverage Period is not extended by your time abroad.',
  },
  {
    key: 'general-installation-requirement',
    coverageType: 'general_terms',
    categories: largeAppliances(),
    titleZh: '大家电安装要求',
    titleEn: 'Installation of large appliances',
    bodyZh:
      '空调须由我方或我方授权安装人员安装；电视、冰箱、洗衣机应按产品说明书的要求安装和摆放。由其他人员安装的空调，因安装原因导致的故障不属于保障范围，与安装无关的故障仍按本条款处理。',
    bodyEn:
      'Air conditioners must be installed by us or our authorised installers, and TVs, refrigerators and washing machines should be installed and positioned as the user manual requires. For an air conditioner installed by anyone else, faults caused by the installation are not covered, but faults unrelated to the installation are still handled under these terms.',
  },
  {
    key: 'general-routine-care',
    coverageType: 'general_terms',
    categories: ['refrigerator', 'washing_machine', 'air_conditioner', 'small_kitchen_appliance'],
    titleZh: '日常维护义务',
    titleEn: 'Routine care',
    bodyZh:
      '您应按产品说明书的要求进行日常维护，例如定期为冰箱冷凝器除尘、清洁空调滤网和洗衣机过滤器，以及为小厨电除垢。经检测确认故障系长期缺乏必要维护所致的，不属于保障范围。',
    bodyEn:
      'You should carry out routine care as the user manual describes, such as regularly dusting the refrigerator condenser, cleaning air conditioner and washing machine filters, and descaling small kitchen appliances. Where testing confirms that a fault results from a prolonged lack of necessary care, it is not covered.',
  },
];

export const CLAUSE_SEEDS: readonly ClauseSeed[] = [
  ...PARTS_LABOUR,
  ...ACCIDENTAL_DAMAGE,
  ...LIQUID_DAMAGE,
  ...SCREEN,
  ...BATTERY,
  ...ON_SITE_SERVICE,
  ...REPLACEMENT,
  ...EXCLUSIONS,
  ...CLAIM_PROCEDURE,
  ...CANCELLATION_REFUND,
  ...GENERAL_TERMS,
];

/**
 * The content of the demo: one real city (Manchester, UK), invented organisations at real places,
 * and the shapes of shifts and availability that such organisations and volunteers really have.
 */
import type { OrganisationKind } from '../../../libs/organisations/organisation.entities.js';
import type { SkillSlug } from '../../../libs/common/skills-catalogue.js';

export const DEMO_TIME_ZONE = 'Europe/London';
export const DEMO_CITY = 'Manchester';
/** Volunteer accounts are volunteerNNN@ this domain; coordinators are coordinator@<slug>. this domain. */
export const DEMO_EMAIL_DOMAIN = 'demo.kindshift.org';
export const DEMO_VOLUNTEER_COUNT = 300;
/** Days of one-off shifts generated ahead, counting today. */
export const DEMO_DAYS_AHEAD = 14;
export const DEMO_SEED = 20261126;

/** Real neighbourhood centres; `weight` is how many of the volunteers live there, relatively. */
export interface Neighbourhood {
  name: string;
  lat: number;
  lon: number;
  weight: number;
}

export const NEIGHBOURHOODS: readonly Neighbourhood[] = [
  { name: 'City Centre', lat: 53.4808, lon: -2.2426, weight: 14 },
  { name: 'Ancoats', lat: 53.4846, lon: -2.2265, weight: 8 },
  { name: 'Northern Quarter', lat: 53.4838, lon: -2.2359, weight: 6 },
  { name: 'Hulme', lat: 53.466, lon: -2.2503, weight: 10 },
  { name: 'Moss Side', lat: 53.4581, lon: -2.238, weight: 8 },
  { name: 'Whalley Range', lat: 53.4505, lon: -2.2555, weight: 6 },
  { name: 'Chorlton', lat: 53.4424, lon: -2.2776, weight: 16 },
  { name: 'Didsbury', lat: 53.4169, lon: -2.231, weight: 12 },
  { name: 'West Didsbury', lat: 53.4262, lon: -2.2398, weight: 7 },
  { name: 'Withington', lat: 53.4332, lon: -2.2296, weight: 10 },
  { name: 'Fallowfield', lat: 53.443, lon: -2.2198, weight: 12 },
  { name: 'Rusholme', lat: 53.4553, lon: -2.2238, weight: 8 },
  { name: 'Levenshulme', lat: 53.4442, lon: -2.1917, weight: 12 },
  { name: 'Longsight', lat: 53.4575, lon: -2.2, weight: 7 },
  { name: 'Gorton', lat: 53.4674, lon: -2.1674, weight: 6 },
  { name: 'Ardwick', lat: 53.47, lon: -2.221, weight: 5 },
  { name: 'Cheetham Hill', lat: 53.5045, lon: -2.2368, weight: 6 },
  { name: 'Harpurhey', lat: 53.512, lon: -2.217, weight: 4 },
  { name: 'Prestwich', lat: 53.533, lon: -2.2846, weight: 6 },
  { name: 'Salford', lat: 53.4875, lon: -2.2901, weight: 10 },
  { name: 'Salford Quays', lat: 53.4712, lon: -2.295, weight: 6 },
  { name: 'Old Trafford', lat: 53.4595, lon: -2.278, weight: 5 },
  { name: 'Stretford', lat: 53.4462, lon: -2.311, weight: 8 },
  { name: 'Burnage', lat: 53.4296, lon: -2.2018, weight: 5 },
];

/** Relative popularity of each skill among volunteers; skills missing here weigh 1. */
export const SKILL_POPULARITY: Partial<Record<SkillSlug, number>> = {
  serving: 10,
  cooking: 8,
  cleaning: 8,
  'driving-licence': 9,
  dishwashing: 7,
  'dog-walking': 7,
  'heavy-lifting': 6,
  befriending: 5,
  admin: 5,
  warehouse: 4,
  'first-aid': 4,
  'cat-care': 4,
  languages: 4,
  'food-safety-certificate': 3,
  'animal-handling': 3,
  laundry: 3,
  'van-driving': 2,
  'mental-health-first-aid': 2,
  childcare: 2,
  'diy-repairs': 2,
  'it-support': 2,
  fundraising: 2,
};

/** Local wall-clock times 'HH:MM'; end <= start means the shift ends the next day. */
export interface ShiftTemplate {
  title: string;
  description: string;
  /** ISO weekdays, 1 = Monday. */
  weekdays: readonly number[];
  start: string;
  end: string;
  capacity: readonly [number, number];
  required: readonly SkillSlug[];
  nice: readonly SkillSlug[];
  /** Index into the organisation's addresses; 0 (the default address) when omitted. */
  address?: number;
  /** Chance that a matching date actually gets this shift (organisations skip some). */
  chance?: number;
}

export interface SeriesTemplate extends Omit<ShiftTemplate, 'weekdays' | 'capacity' | 'chance'> {
  weekday: number;
  capacity: number;
}

export interface DemoAddress {
  label: string;
  street: string;
  lat: number;
  lon: number;
}

export interface DemoOrganisation {
  name: string;
  slug: string;
  kind: OrganisationKind;
  coordinator: string;
  /** The first is the default address. */
  addresses: readonly DemoAddress[];
  shifts: readonly ShiftTemplate[];
  series?: SeriesTemplate;
}

const WEEKDAYS = [1, 2, 3, 4, 5] as const;
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7] as const;

export const DEMO_ORGANISATIONS: readonly DemoOrganisation[] = [
  {
    name: 'Ancoats Community Kitchen',
    slug: 'ancoats-community-kitchen',
    kind: 'soup_kitchen',
    coordinator: 'Priya Shah',
    addresses: [
      { label: 'Community kitchen', street: 'Blossom Street, Ancoats, Manchester M4', lat: 53.4852, lon: -2.2288 },
      { label: 'Stevenson Square pop-up', street: 'Stevenson Square, Manchester M1', lat: 53.4831, lon: -2.2347 },
    ],
    shifts: [
      {
        title: 'Kitchen prep',
        description: 'Chopping, batch cooking and getting the evening meal ready with our cook.',
        weekdays: WEEKDAYS,
        start: '14:00',
        end: '17:00',
        capacity: [2, 3],
        required: ['cooking'],
        nice: ['food-safety-certificate'],
        chance: 0.7,
      },
      {
        title: 'Evening meal service',
        description: 'Serve a hot two-course meal to around 80 guests and sit down for a chat when it is quiet.',
        weekdays: WEEKDAYS,
        start: '17:30',
        end: '20:30',
        capacity: [4, 6],
        required: [],
        nice: ['serving', 'languages'],
      },
      {
        title: 'Washing up and close',
        description: 'Dishes, pots and a wipe-down of the hall so we can lock up on time.',
        weekdays: [1, 3, 5],
        start: '19:30',
        end: '21:00',
        capacity: [1, 2],
        required: [],
        nice: ['dishwashing', 'cleaning'],
      },
      {
        title: 'Saturday hot food pop-up',
        description: 'Hand out soup, sandwiches and hot drinks from the gazebo in Stevenson Square.',
        weekdays: [6],
        start: '10:00',
        end: '13:00',
        capacity: [3, 5],
        required: [],
        nice: ['serving'],
        address: 1,
      },
    ],
    series: {
      title: 'Sunday roast lunch',
      description: 'Our weekly sit-down roast: cooking, serving and clearing with the regular Sunday crew.',
      weekday: 7,
      start: '11:00',
      end: '14:00',
      capacity: 6,
      required: [],
      nice: ['cooking', 'serving'],
    },
  },
  {
    name: 'Hulme Hot Suppers',
    slug: 'hulme-hot-suppers',
    kind: 'soup_kitchen',
    coordinator: 'Tom Fletcher',
    addresses: [{ label: 'Supper hall', street: 'Stretford Road, Hulme, Manchester M15', lat: 53.4666, lon: -2.248 }],
    shifts: [
      {
        title: 'Hot supper service',
        description: 'Plate up and serve supper, keep the tea urn going and welcome people in.',
        weekdays: [2, 4, 7],
        start: '18:00',
        end: '21:00',
        capacity: [3, 5],
        required: [],
        nice: ['serving', 'befriending'],
      },
      {
        title: 'Supper cook',
        description: 'Lead the cooking of a large vegetarian pot for 60; our kitchen has a 5-star hygiene rating.',
        weekdays: [2, 4],
        start: '17:00',
        end: '20:00',
        capacity: [1, 1],
        required: ['cooking', 'food-safety-certificate'],
        nice: [],
      },
      {
        title: 'Street soup run (driver)',
        description: 'Drive the soup run round the city centre with two volunteers; our car, insured.',
        weekdays: [3],
        start: '18:30',
        end: '21:00',
        capacity: [1, 1],
        required: ['driving-licence'],
        nice: ['first-aid'],
      },
      {
        title: 'Sunday breakfast',
        description: 'Toast, porridge and bacon butties for early risers.',
        weekdays: [7],
        start: '09:00',
        end: '12:00',
        capacity: [2, 4],
        required: [],
        nice: ['cooking', 'serving'],
      },
    ],
  },
  {
    name: 'Mersey Vale Animal Sanctuary',
    slug: 'mersey-vale-animal-sanctuary',
    kind: 'animal_shelter',
    coordinator: 'Niamh Doyle',
    addresses: [
      { label: 'Kennels', street: 'Hardy Lane, Chorlton, Manchester M21', lat: 53.432, lon: -2.2825 },
      { label: 'Adoption centre', street: 'Wilmslow Road, Didsbury, Manchester M20', lat: 53.418, lon: -2.232 },
    ],
    shifts: [
      {
        title: 'Morning dog walking',
        description: 'Walk two or three of our dogs along the Mersey; we match dogs to your experience.',
        weekdays: EVERY_DAY,
        start: '09:30',
        end: '11:30',
        capacity: [3, 6],
        required: ['dog-walking'],
        nice: ['animal-handling'],
      },
      {
        title: 'Kennel cleaning',
        description: 'Muck out, refresh bedding and water bowls. Wellies provided.',
        weekdays: EVERY_DAY,
        start: '09:00',
        end: '12:00',
        capacity: [2, 4],
        required: [],
        nice: ['cleaning', 'animal-handling'],
        chance: 0.6,
      },
      {
        title: 'Evening feeding round',
        description: 'Feed and settle the dogs for the night and note anything off for the vet.',
        weekdays: WEEKDAYS,
        start: '17:00',
        end: '19:00',
        capacity: [1, 2],
        required: ['animal-handling'],
        nice: [],
      },
      {
        title: 'Adoption centre reception',
        description: 'Greet visitors, book meet-and-greets and answer the phone.',
        weekdays: [6, 7],
        start: '10:00',
        end: '13:00',
        capacity: [1, 2],
        required: [],
        nice: ['admin'],
        address: 1,
      },
    ],
    series: {
      title: 'Saturday dog walking club',
      description: 'A group walk with our longest-staying residents; tea and biscuits after.',
      weekday: 6,
      start: '10:00',
      end: '12:00',
      capacity: 8,
      required: ['dog-walking'],
      nice: [],
    },
  },
  {
    name: 'Cheetham Hill Cat Rescue',
    slug: 'cheetham-hill-cat-rescue',
    kind: 'animal_shelter',
    coordinator: 'Yusuf Ahmed',
    addresses: [{ label: 'Cattery', street: 'Cheetham Hill Road, Manchester M8', lat: 53.501, lon: -2.239 }],
    shifts: [
      {
        title: 'Cattery cleaning and feeding',
        description: 'Clean pens, litter trays and bowls, then breakfast for 40 cats.',
        weekdays: EVERY_DAY,
        start: '09:30',
        end: '12:00',
        capacity: [2, 3],
        required: [],
        nice: ['cat-care', 'cleaning'],
      },
      {
        title: 'Cat socialising',
        description: 'Quiet time with shy cats so they are ready for adoption. Patience needed, no experience.',
        weekdays: [1, 3, 5],
        start: '18:00',
        end: '20:00',
        capacity: [2, 3],
        required: [],
        nice: ['cat-care'],
      },
      {
        title: 'Vet run driver',
        description: 'Take cats in carriers to the vet in Crumpsall and back.',
        weekdays: [2, 4],
        start: '10:00',
        end: '12:30',
        capacity: [1, 1],
        required: ['driving-licence'],
        nice: ['animal-handling'],
      },
    ],
  },
  {
    name: 'Piccadilly Night Shelter',
    slug: 'piccadilly-night-shelter',
    kind: 'homeless_shelter',
    coordinator: 'Grace Okafor',
    addresses: [
      { label: 'Night shelter', street: 'Newton Street, Manchester M1', lat: 53.4817, lon: -2.233 },
      { label: 'Ardwick day centre', street: 'Hyde Road, Ardwick, Manchester M12', lat: 53.4698, lon: -2.216 },
    ],
    shifts: [
      {
        title: 'Night shelter overnight',
        description: 'Sleep-in support alongside a staff member: beds, breakfast and a calm night. Camp bed provided.',
        weekdays: EVERY_DAY,
        start: '21:00',
        end: '07:00',
        capacity: [2, 2],
        required: [],
        nice: ['first-aid', 'mental-health-first-aid'],
      },
      {
        title: 'Late welcome and check-in',
        description: 'Welcome guests arriving late, hot drinks, show people to their beds.',
        weekdays: [4, 5, 6],
        start: '22:00',
        end: '02:00',
        capacity: [1, 2],
        required: [],
        nice: ['befriending', 'languages'],
      },
      {
        title: 'Day centre drop-in',
        description: 'Tea, post, phone charging and a friendly face for people sleeping rough.',
        weekdays: WEEKDAYS,
        start: '10:00',
        end: '13:00',
        capacity: [2, 3],
        required: [],
        nice: ['befriending', 'admin'],
        address: 1,
      },
      {
        title: 'Laundry and showers',
        description: 'Run the washing machines and the shower rota at the day centre.',
        weekdays: [2, 4],
        start: '13:00',
        end: '16:00',
        capacity: [1, 2],
        required: [],
        nice: ['laundry'],
        address: 1,
      },
    ],
  },
  {
    name: 'Irwell Open Door Hostel',
    slug: 'irwell-open-door-hostel',
    kind: 'homeless_shelter',
    coordinator: 'Dave Whittaker',
    addresses: [{ label: 'Hostel', street: 'Chapel Street, Salford M3', lat: 53.485, lon: -2.257 }],
    shifts: [
      {
        title: 'Overnight support',
        description: 'Be the second pair of hands on the night shift; trained first-aiders only.',
        weekdays: [5, 6, 7],
        start: '21:00',
        end: '07:00',
        capacity: [1, 1],
        required: ['first-aid'],
        nice: ['mental-health-first-aid'],
      },
      {
        title: 'Evening meal and games',
        description: 'Share the evening meal with residents, then cards, pool or the quiz.',
        weekdays: [1, 2, 3, 4],
        start: '17:30',
        end: '20:30',
        capacity: [2, 3],
        required: [],
        nice: ['befriending', 'cooking'],
      },
      {
        title: 'Clothes store sorting',
        description: 'Sort donated clothes and make up welcome packs.',
        weekdays: [6],
        start: '10:00',
        end: '13:00',
        capacity: [2, 4],
        required: [],
        nice: ['laundry'],
      },
    ],
  },
  {
    name: 'South Manchester Food Bank',
    slug: 'south-manchester-food-bank',
    kind: 'food_bank',
    coordinator: 'Hannah Levy',
    addresses: [
      { label: 'Warehouse', street: 'Stockport Road, Levenshulme, Manchester M19', lat: 53.4455, lon: -2.1928 },
      {
        label: 'Withington distribution point',
        street: 'Wilmslow Road, Withington, Manchester M20',
        lat: 53.434,
        lon: -2.2292,
      },
    ],
    shifts: [
      {
        title: 'Food bank sorting',
        description: 'Check dates, sort donations into crates and restock the shelves.',
        weekdays: [1, 3],
        start: '10:00',
        end: '13:00',
        capacity: [4, 8],
        required: [],
        nice: ['warehouse', 'heavy-lifting'],
      },
      {
        title: 'Evening sorting',
        description: 'After-work sorting session; music on, kettle on.',
        weekdays: [2, 4],
        start: '17:30',
        end: '20:30',
        capacity: [4, 8],
        required: [],
        nice: ['warehouse'],
      },
      {
        title: 'Supermarket collection',
        description: 'Collect donations from partner supermarkets in our van and unload at the warehouse.',
        weekdays: [6],
        start: '09:00',
        end: '13:00',
        capacity: [1, 2],
        required: ['van-driving'],
        nice: ['heavy-lifting'],
      },
      {
        title: 'Distribution session',
        description: 'Welcome clients, pack parcels to their needs and signpost to advice services.',
        weekdays: [5, 6],
        start: '10:00',
        end: '12:30',
        capacity: [3, 5],
        required: [],
        nice: ['languages', 'admin'],
        address: 1,
      },
    ],
    series: {
      title: 'Wednesday evening sorting',
      description: 'The regular midweek sorting crew; new faces always welcome.',
      weekday: 3,
      start: '18:00',
      end: '20:30',
      capacity: 6,
      required: [],
      nice: ['warehouse', 'heavy-lifting'],
    },
  },
  {
    name: 'Gorton and Openshaw Community Pantry',
    slug: 'gorton-openshaw-pantry',
    kind: 'food_bank',
    coordinator: 'Marek Nowak',
    addresses: [{ label: 'Pantry', street: 'Hyde Road, Gorton, Manchester M18', lat: 53.4657, lon: -2.17 }],
    shifts: [
      {
        title: 'Pantry shop assistant',
        description: 'Help members choose their weekly shop and keep the shelves tidy.',
        weekdays: [2, 4],
        start: '12:00',
        end: '15:00',
        capacity: [2, 3],
        required: [],
        nice: ['serving', 'languages'],
      },
      {
        title: 'Van delivery round',
        description: 'Deliver food parcels to people who cannot get to the pantry.',
        weekdays: [3],
        start: '10:00',
        end: '13:00',
        capacity: [1, 2],
        required: ['driving-licence'],
        nice: ['heavy-lifting'],
      },
      {
        title: 'Saturday stock take',
        description: 'Count, rotate and log stock before the new week.',
        weekdays: [6],
        start: '09:30',
        end: '12:30',
        capacity: [2, 4],
        required: [],
        nice: ['warehouse', 'admin'],
      },
    ],
  },
  {
    name: 'Stretford Good Neighbours',
    slug: 'stretford-good-neighbours',
    kind: 'other',
    coordinator: 'Joan Barlow',
    addresses: [
      { label: 'Community centre', street: 'Chester Road, Stretford, Manchester M32', lat: 53.447, lon: -2.3095 },
    ],
    shifts: [
      {
        title: 'Tea and chat afternoon',
        description: 'Company, tea and cake with older neighbours who live alone.',
        weekdays: [3],
        start: '14:00',
        end: '16:30',
        capacity: [3, 5],
        required: [],
        nice: ['befriending'],
      },
      {
        title: 'Digital help drop-in',
        description: 'Help people with phones, email and online forms.',
        weekdays: [4],
        start: '17:30',
        end: '19:30',
        capacity: [1, 2],
        required: ['it-support'],
        nice: ['languages'],
      },
      {
        title: 'Lift to lunch club',
        description: 'Pick up two or three members and drive them to the Friday lunch club and home again.',
        weekdays: [5],
        start: '11:00',
        end: '14:00',
        capacity: [2, 3],
        required: ['driving-licence'],
        nice: ['befriending'],
      },
      {
        title: 'Community garden tidy-up',
        description: 'Weeding, planting and small repairs in the centre garden.',
        weekdays: [6],
        start: '10:00',
        end: '13:00',
        capacity: [3, 6],
        required: [],
        nice: ['diy-repairs', 'heavy-lifting'],
      },
    ],
  },
];

export const FIRST_NAMES: readonly string[] = [
  'Aisha',
  'Adam',
  'Amelia',
  'Ben',
  'Chloe',
  'Callum',
  'Daniel',
  'Deborah',
  'Ella',
  'Emeka',
  'Fatima',
  'Finn',
  'Grace',
  'George',
  'Hannah',
  'Harry',
  'Imran',
  'Isla',
  'Jack',
  'Jasmine',
  'Kofi',
  'Kate',
  'Liam',
  'Leah',
  'Mohammed',
  'Megan',
  'Nadia',
  'Noah',
  'Olivia',
  'Oliver',
  'Priya',
  'Patrick',
  'Rachel',
  'Reuben',
  'Sophie',
  'Samir',
  'Tariq',
  'Tilly',
  'Umar',
  'Vicky',
  'Wei',
  'Zara',
  'Agnieszka',
  'Bilal',
  'Ciara',
  'Dominic',
  'Esther',
  'Farah',
  'Gareth',
  'Hamza',
  'Joanne',
  'Kwame',
  'Lucy',
  'Marcus',
  'Niamh',
  'Owen',
  'Rosa',
  'Sean',
  'Yasmin',
  'Zoltan',
];

export const LAST_NAMES: readonly string[] = [
  'Khan',
  'Smith',
  'Jones',
  'Taylor',
  'Brown',
  'Williams',
  'Wilson',
  'Ahmed',
  'Hussain',
  'Patel',
  'Evans',
  'Walsh',
  'Murphy',
  "O'Connor",
  'Kowalski',
  'Nowak',
  'Okafor',
  'Mensah',
  'Chen',
  'Li',
  'Wright',
  'Roberts',
  'Hughes',
  'Green',
  'Hall',
  'Lewis',
  'Clarke',
  'Begum',
  'Ali',
  'Shah',
  'Cohen',
  'Levy',
  'Kelly',
  'Byrne',
  'Thompson',
  'Robinson',
  'Wood',
  'Whittaker',
  'Barlow',
  'Fletcher',
  'Ashworth',
  'Haworth',
  'Nguyen',
  'Santos',
  'Mahmood',
  'Iqbal',
  'Campbell',
  'Stewart',
  'Adeyemi',
  'Novak',
];
